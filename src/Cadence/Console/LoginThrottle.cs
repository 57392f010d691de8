using System.Collections.Concurrent;

namespace Cadence.Console;

/// <summary>
/// Slows password guessing: after five wrong passwords (a try counts from the moment it is made) for an email (or fifty from one address) within
/// fifteen minutes, sign-in for it waits 30 seconds, doubling with each further failure up to 15 minutes.
/// Kept in memory on each node: a restart forgets, which the slow password hash still backs up.
/// </summary>
public sealed class LoginThrottle(TimeProvider time)
{
    public const int FreeFailuresPerEmail = 5;
    public const int FreeFailuresPerAddress = 50;
    static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    static readonly TimeSpan FirstWait = TimeSpan.FromSeconds(30);
    static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(15);
    const int MaxTracked = 100_000;

    sealed record Failures(int Count, DateTimeOffset First, DateTimeOffset Last);

    readonly ConcurrentDictionary<string, Failures> failures = new();

    /// <summary>How long this email or address must still wait before another try, or zero.</summary>
    TimeSpan WaitFor(string email, string? address)
    {
        var now = time.GetUtcNow();
        var wait = Wait(Key("email", email), FreeFailuresPerEmail, now);
        var byAddress = address is null ? TimeSpan.Zero : Wait(Key("ip", address), FreeFailuresPerAddress, now);
        return wait > byAddress ? wait : byAddress;
    }

    void Attempt(string email, string? address)
    {
        var now = time.GetUtcNow();
        if (failures.Count > MaxTracked)
        {
            Prune(now);
        }
        Count(Key("email", email), now);
        if (address is not null)
        {
            Count(Key("ip", address), now);
        }
    }

    /// <summary>
    /// Checks a password for an email under the throttle: while the email or address must wait, the check does
    /// not run at all; otherwise the try counts before it runs (so tries sent side by side cannot all pass the
    /// wait while the slow hash works), and a right password takes it back.
    /// </summary>
    public async Task<(T? Result, TimeSpan Wait)> GuardAsync<T>(string email, string? address, Func<Task<T?>> check) where T : class
    {
        var wait = WaitFor(email, address);
        if (wait > TimeSpan.Zero)
        {
            return (null, wait);
        }
        Attempt(email, address);
        var result = await check();
        if (result is not null)
        {
            Succeeded(email, address);
        }
        return (result, TimeSpan.Zero);
    }

    void Succeeded(string email, string? address)
    {
        failures.TryRemove(Key("email", email), out _);
        if (address is not null && failures.TryGetValue(Key("ip", address), out var f))
        {
            failures.TryUpdate(Key("ip", address), f with { Count = Math.Max(0, f.Count - 1) }, f);
        }
    }

    TimeSpan Wait(string key, int free, DateTimeOffset now)
    {
        if (!failures.TryGetValue(key, out var f) || now - f.Last > Window || f.Count < free)
        {
            return TimeSpan.Zero;
        }
        var wait = FirstWait * Math.Pow(2, Math.Min(f.Count - free, 10));
        var until = f.Last + (wait > LongestWait ? LongestWait : wait);
        return until > now ? until - now : TimeSpan.Zero;
    }

    void Count(string key, DateTimeOffset now) =>
        failures.AddOrUpdate(key, _ => new Failures(1, now, now),
            (_, f) => now - f.Last > Window ? new Failures(1, now, now) : f with { Count = f.Count + 1, Last = now });

    void Prune(DateTimeOffset now)
    {
        foreach (var (key, f) in failures)
        {
            if (now - f.Last > Window)
            {
                failures.TryRemove(key, out _);
            }
        }
    }

    static string Key(string kind, string value) => kind + ":" + value.Trim().ToLowerInvariant();
}
