using System.Collections.Concurrent;
using System.Net;
using Cadence.Authentication;

namespace Cadence.Console;

// Kept over System.Threading.RateLimiting (issue #12, measured and read 2026-12): no library limiter has the rules
// here. The wait doubles with each failure past the free ones (30 s to 15 min); a right password takes its try back;
// a try is checked and counted under one lock, before the slow hash runs; past the capacity a new key fails closed.
// The library's partitioned limiter keeps every key until it has been idle 10 s (so a flood of distinct emails grows
// it without bound), and its limiters read Stopwatch, not a TimeProvider, so the tests' clock could not drive the windows.
/// <summary>
/// Slows password guessing: after five wrong passwords (a try counts from the moment it is made) for an email (or fifty from one address,
/// an IPv6 /64 counting as one) within fifteen minutes, sign-in for it waits 30 seconds, doubling with each further failure up to 15 minutes.
/// Kept in memory on each node: a restart forgets, which the slow password hash still backs up.
/// Its memory is bounded: an email longer than any account's is never kept, entries go when their window ends, and past
/// <see cref="DefaultCapacity"/> entries a new email or address is made to wait (fails closed) while known ones carry on.
/// </summary>
public sealed class LoginThrottle
{
    public const int FreeFailuresPerEmail = 5;
    public const int FreeFailuresPerAddress = 50;
    /// <summary>RFC 5321's longest address; no account has a longer one, so a longer try is simply wrong.</summary>
    public const int MaxEmailLength = 254;
    /// <summary>About 30 MB at worst (keys of 254 characters): far more distinct failing emails than a college has in 15 minutes.</summary>
    public const int DefaultCapacity = 50_000;
    static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    static readonly TimeSpan FirstWait = TimeSpan.FromSeconds(30);
    static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(15);
    static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);
    // When full, a sweep per request would let a flood of new keys cost O(capacity) each.
    static readonly TimeSpan SweepWhenFullEvery = TimeSpan.FromSeconds(1);

    sealed record Failures(int Count, DateTimeOffset First, DateTimeOffset Last);

    readonly ConcurrentDictionary<string, Failures> failures = new();
    readonly TimeProvider time;
    readonly int capacity;
    readonly Lock sweeping = new();
    readonly Lock deciding = new();
    DateTimeOffset lastSweep;

    public LoginThrottle(TimeProvider time) : this(time, DefaultCapacity)
    {
    }

    internal LoginThrottle(TimeProvider time, int capacity)
    {
        this.time = time;
        this.capacity = capacity;
        lastSweep = time.GetUtcNow();
    }

    /// <summary>Emails and addresses remembered now.</summary>
    internal int Tracked => failures.Count;

    /// <summary>
    /// Checks a password for an email under the throttle: while the email or address must wait, the check does
    /// not run at all; otherwise the try counts before it runs (so tries sent side by side cannot all pass the
    /// wait while the slow hash works), and a right password takes it back. An email too long to be an
    /// account's is a wrong try counted for the address only, and the check does not run.
    /// </summary>
    public async Task<(T? Result, TimeSpan Wait)> GuardAsync<T>(string email, IPAddress? address, Func<Task<T?>> check) where T : class
    {
        var now = time.GetUtcNow();
        var emailKey = email.Length > MaxEmailLength ? null : "email:" + email.Trim().ToLowerInvariant();
        var addressKey = address is null ? null : "ip:" + ClientAddress.Describe(address);
        Sweep(now, SweepEvery);
        if (failures.Count >= capacity)
        {
            // Outside the lock: a sweep of a full table reads every entry, and every sign-in would wait behind it.
            Sweep(now, SweepWhenFullEvery);
        }
        var wait = Admit(emailKey, addressKey, now);
        if (wait > TimeSpan.Zero)
        {
            Metrics.CadenceMetrics.LoginThrottle();
            return (null, wait);
        }
        if (emailKey is null)
        {
            Metrics.CadenceMetrics.AuthFailure("console_password");
            return (null, TimeSpan.Zero);
        }
        var result = await check();
        if (result is not null)
        {
            Succeeded(emailKey, addressKey);
        }
        else
        {
            Metrics.CadenceMetrics.AuthFailure("console_password");
        }
        return (result, TimeSpan.Zero);
    }

    /// <summary>
    /// Decides and counts a try under one lock, so tries sent side by side cannot all read "no wait" before any
    /// of them counts (CI saw six of twelve pass the five free tries). Zero admits the try, already counted.
    /// </summary>
    TimeSpan Admit(string? emailKey, string? addressKey, DateTimeOffset now)
    {
        lock (deciding)
        {
            var wait = Max(Wait(emailKey, FreeFailuresPerEmail, now), Wait(addressKey, FreeFailuresPerAddress, now));
            if (wait > TimeSpan.Zero)
            {
                return wait;
            }
            if (!HasRoomFor(emailKey) || !HasRoomFor(addressKey))
            {
                return FirstWait;
            }
            Count(emailKey, now);
            Count(addressKey, now);
            return TimeSpan.Zero;
        }
    }

    void Succeeded(string emailKey, string? addressKey)
    {
        failures.TryRemove(emailKey, out _);
        if (addressKey is not null && failures.TryGetValue(addressKey, out var f))
        {
            failures.TryUpdate(addressKey, f with { Count = Math.Max(0, f.Count - 1) }, f);
        }
    }

    TimeSpan Wait(string? key, int free, DateTimeOffset now)
    {
        if (key is null || !failures.TryGetValue(key, out var f) || Expired(f, now) || f.Count < free)
        {
            return TimeSpan.Zero;
        }
        var wait = FirstWait * Math.Pow(2, Math.Min(f.Count - free, 10));
        var until = f.Last + (wait > LongestWait ? LongestWait : wait);
        return until > now ? until - now : TimeSpan.Zero;
    }

    /// <summary>A key already known always has room; a new one only below the capacity (a full table was swept before the lock).</summary>
    bool HasRoomFor(string? key) => key is null || failures.ContainsKey(key) || failures.Count < capacity;

    void Count(string? key, DateTimeOffset now)
    {
        if (key is not null)
        {
            failures.AddOrUpdate(key, _ => new Failures(1, now, now),
                (_, f) => Expired(f, now) ? new Failures(1, now, now) : f with { Count = f.Count + 1, Last = now });
        }
    }

    // The longest wait equals the window, so an entry past its window neither counts nor makes anyone wait.
    static bool Expired(Failures f, DateTimeOffset now) => now - f.Last > Window;

    /// <summary>Drops expired entries, at most once per interval (the caller that finds it due does it).</summary>
    void Sweep(DateTimeOffset now, TimeSpan interval)
    {
        lock (sweeping)
        {
            if (now - lastSweep < interval)
            {
                return;
            }
            lastSweep = now;
        }
        foreach (var (key, f) in failures)
        {
            if (Expired(f, now))
            {
                failures.TryRemove(new KeyValuePair<string, Failures>(key, f));
            }
        }
    }

    static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
