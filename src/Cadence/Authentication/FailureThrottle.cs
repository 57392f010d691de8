using System.Collections.Concurrent;
using System.Net;

namespace Cadence.Authentication;

/// <summary>
/// Counts failed authentications per client address in fixed windows; past the limit the address is refused
/// until its window ends. It is in memory, per node: a brake on guessing and noise, not an accounting system.
/// </summary>
public sealed class FailureThrottle(CadenceSettings settings, TimeProvider time)
{
    const int MaxTrackedAddresses = 100_000;
    readonly ConcurrentDictionary<IPAddress, Window> windows = new();

    sealed class Window(DateTime start)
    {
        public DateTime Start = start;
        public int Failures;
    }

    /// <summary>How long the address must wait, or null when it may try.</summary>
    public TimeSpan? RetryAfter(IPAddress? address)
    {
        // TryGetValue takes no lock. (ConcurrentDictionary.IsEmpty, tried here once as a "fast path", takes
        // every lock when the dictionary is empty, which is the usual case: it made requests queue on each other.)
        if (!windows.TryGetValue(Normalize(address), out var window))
        {
            return null;
        }
        var ends = window.Start + settings.AuthFailureWindow;
        var now = time.GetUtcNow().UtcDateTime;
        return Volatile.Read(ref window.Failures) >= settings.AuthFailureLimit && now < ends ? ends - now : null;
    }

    public void RecordFailure(IPAddress? address)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (windows.Count >= MaxTrackedAddresses)
        {
            Sweep(now);
        }
        var window = windows.GetOrAdd(Normalize(address), _ => new Window(now));
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

    void Sweep(DateTime now)
    {
        foreach (var (address, window) in windows)
        {
            if (now >= window.Start + settings.AuthFailureWindow)
            {
                windows.TryRemove(address, out _);
            }
        }
    }

    static IPAddress Normalize(IPAddress? address) =>
        address is null ? IPAddress.None : address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
