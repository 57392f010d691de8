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
    public TimeSpan WaitFor(string email, string? address)
    {
        var now = time.GetUtcNow();
        var wait = Wait(Key("email", email), FreeFailuresPerEmail, now);
        var byAddress = address is null ? TimeSpan.Zero : Wait(Key("ip", address), FreeFailuresPerAddress, now);
        return wait > byAddress ? wait : byAddress;
    }

    /// <summary>
    /// Counts a try before the password is checked, so that tries sent side by side cannot all pass the check
    /// of <see cref="WaitFor"/> while the slow hash runs; <see cref="Succeeded"/> takes a right one back.
    /// </summary>
    public void Attempt(string email, string? address)
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

    public void Succeeded(string email, string? address)
    {
        failures.TryRemove(Key("email", email), out _);
        if (address is not null)
        {
            failures.AddOrUpdate(Key("ip", address), _ => new Failures(0, time.GetUtcNow(), time.GetUtcNow()),
                (_, f) => f with { Count = Math.Max(0, f.Count - 1) });
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
