using System.Globalization;

namespace Cadence.Bench;

/// <summary>
/// How far a process's resident memory rose above where it stood while one action ran, read from /proc/PID.
/// The kernel's own high-water mark (VmHWM) is exact: writing 5 to clear_refs resets it to the current RSS.
/// Where that is refused, VmRSS is sampled every few milliseconds instead, which can miss a short spike.
/// </summary>
static class PeakMemory
{
    public static string Method { get; private set; } = "VmHWM after clear_refs";

    /// <summary>Sample VmRSS even where clear_refs works (--sample-rss), to compare the two ways.</summary>
    public static bool AlwaysSample { get; set; }

    public static async Task<(T Result, long GrowthBytes)> MeasureAsync<T>(int pid, Func<Task<T>> action)
    {
        if (!AlwaysSample && TryResetHighWaterMark(pid))
        {
            var rss = Read(pid, "VmRSS");
            var done = await action();
            // The resident set can shrink between the reset and the read of VmRSS: no growth is zero, not "-0 MB".
            return (done, Math.Max(0, Read(pid, "VmHWM") - rss));
        }
        Method = AlwaysSample ? "VmRSS sampled every 5 ms (--sample-rss)" : "VmRSS sampled every 5 ms (clear_refs refused)";
        var before = Read(pid, "VmRSS");
        var peak = before;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, Read(pid, "VmRSS"));
                await Task.Delay(5, CancellationToken.None);
            }
        });
        T result;
        try
        {
            result = await action();
        }
        finally
        {
            stop.Cancel();
            await sampler;
        }
        return (result, Math.Max(peak, Read(pid, "VmRSS")) - before);
    }

    public static long ResidentBytes(int pid) => Read(pid, "VmRSS");

    static bool TryResetHighWaterMark(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>A "Name:   1234 kB" line of /proc/PID/status, in bytes.</summary>
    static long Read(int pid, string name)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(name + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(name.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException($"/proc/{pid}/status has no {name}");
    }
}
