using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace Cadence.Authentication;

// Kept over a PartitionedRateLimiter of fixed windows (issue #12): that one keeps each address until idle for
// 10 s, so a flood of distinct addresses (or /64s) grows it without bound, where this table stops at its capacity
// and fails closed through the overflow window; its windows begin on the heartbeat, not at the first failure, and
// its Retry-After is always a whole window, where this answers the time left; asking it "may this address try?"
// (AttemptAcquire(0), on every API request) takes its one global lock and makes a partition for every address that
// asks, where this is a lock-free read that stores nothing; and it reads Stopwatch, not the TimeProvider.
/// <summary>
/// Counts failed authentications per client address (an IPv6 /64 counting as one, see <see cref="ClientAddress"/>)
/// in fixed windows; past the limit the address is refused until its window ends. It is in memory, per node: a
/// brake on guessing and noise, not an accounting system. Its memory is bounded: past the capacity (after a sweep
/// of ended windows) new addresses share one overflow window, and while the table is full an address it does
/// not know is judged by that window, so a flood of addresses fails closed rather than going uncounted.
/// </summary>
public sealed class FailureThrottle
{
    public const int DefaultCapacity = 100_000;
    // No address has this key: IPv6 keys end in 64 zero bits, IPv4 keys begin with 80.
    static readonly UInt128 Overflow = UInt128.MaxValue;
    static readonly TimeSpan SweepWhenFullEvery = TimeSpan.FromSeconds(1);

    readonly ConcurrentDictionary<UInt128, Window> windows = new();
    readonly ApiKeyLimits settings;
    readonly TimeProvider time;
    readonly int capacity;
    readonly Lock sweeping = new();
    DateTime lastSweep;
    volatile bool full;

    sealed class Window(DateTime start)
    {
        public DateTime Start = start;
        public int Failures;
    }

    public FailureThrottle(IOptions<ApiKeyLimits> limits, TimeProvider time) : this(limits.Value, time, DefaultCapacity)
    {
    }

    internal FailureThrottle(ApiKeyLimits settings, TimeProvider time, int capacity)
    {
        this.settings = settings;
        this.time = time;
        this.capacity = capacity;
    }

    /// <summary>How long the address must wait, or null when it may try.</summary>
    public TimeSpan? RetryAfter(IPAddress? address)
    {
        // TryGetValue takes no lock. (ConcurrentDictionary.IsEmpty, tried here once as a "fast path", takes
        // every lock when the dictionary is empty, which is the usual case: it made requests queue on each other.)
        if (windows.TryGetValue(ClientAddress.Key(address), out var window))
        {
            return Judge(window, time.GetUtcNow().UtcDateTime);
        }
        if (!full || !windows.TryGetValue(Overflow, out window))
        {
            return null;
        }
        // An address the table does not know, while it is (or was) full: judged by the shared window, unless
        // ended windows can make room now, in which case the address is simply new.
        var now = time.GetUtcNow().UtcDateTime;
        if (Judge(window, now) is not { } wait)
        {
            return null;
        }
        Sweep(now);
        return full ? wait : null;
    }

    TimeSpan? Judge(Window window, DateTime now)
    {
        var ends = window.Start + settings.AuthFailureWindow;
        return Volatile.Read(ref window.Failures) >= settings.AuthFailureLimit && now < ends ? ends - now : null;
    }

    public void RecordFailure(IPAddress? address)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var key = ClientAddress.Key(address);
        if (!windows.ContainsKey(key) && windows.Count >= capacity)
        {
            Sweep(now);
            full = windows.Count >= capacity;
            if (full)
            {
                key = Overflow;
            }
        }
        var window = windows.GetOrAdd(key, _ => new Window(now));
        lock (window)
        {
            if (now >= window.Start + settings.AuthFailureWindow)
            {
                window.Start = now;
                window.Failures = 0;
            }
            window.Failures++;
        }
    }

    /// <summary>
    /// Drops ended windows, at most once a second (a full table would otherwise be swept on every failure), and
    /// clears <see cref="full"/> as soon as that leaves room.
    /// </summary>
    void Sweep(DateTime now)
    {
        lock (sweeping)
        {
            if (now - lastSweep < SweepWhenFullEvery)
            {
                return;
            }
            lastSweep = now;
        }
        foreach (var (address, window) in windows)
        {
            if (now >= window.Start + settings.AuthFailureWindow)
            {
                windows.TryRemove(address, out _);
            }
        }
        full = windows.Count >= capacity;
    }
}
