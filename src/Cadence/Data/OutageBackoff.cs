namespace Cadence.Data;

/// <summary>
/// What a background loop does when its database work fails: while the database cannot be reached it waits
/// longer after each try (up to a few seconds, so that it resumes soon after the database is back) and logs
/// once when the outage begins and once when it ends, not on every try. Other failures are logged each time.
/// </summary>
public sealed class OutageBackoff(ILogger logger, string work)
{
    static readonly TimeSpan First = TimeSpan.FromMilliseconds(250);
    static readonly TimeSpan Longest = TimeSpan.FromSeconds(5);
    static readonly TimeSpan AfterOtherFailure = TimeSpan.FromSeconds(1);
    int tries;
    DateTime? downSince;

    public bool InOutage => downSince is not null;

    /// <summary>Notes a failure and says how long to wait before the next try.</summary>
    public TimeSpan Failed(Exception exception)
    {
        if (!DatabaseOutage.Is(exception))
        {
            logger.LogWarning(exception, "{Work} failed; trying again.", work);
            return AfterOtherFailure;
        }
        if (downSince is null)
        {
            downSince = DateTime.UtcNow;
            logger.LogWarning("{Work}: the database cannot be reached ({Reason}); waiting for it to come back.", work, exception.GetBaseException().Message);
        }
        tries++;
        return TimeSpan.FromTicks(Math.Min(Longest.Ticks, First.Ticks << Math.Min(tries - 1, 10)));
    }

    /// <summary>Notes a success, ending an outage if one was going on.</summary>
    public void Succeeded()
    {
        if (downSince is { } since)
        {
            logger.LogInformation("{Work}: the database is back after {Seconds:0.0} s ({Tries} tries).", work, (DateTime.UtcNow - since).TotalSeconds, tries);
        }
        downSince = null;
        tries = 0;
    }

    /// <summary>Waits, returning early (without throwing) when the token is cancelled.</summary>
    public static Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        Task.Delay(delay, cancellationToken).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
}
