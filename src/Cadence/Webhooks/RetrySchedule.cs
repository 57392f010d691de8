namespace Cadence.Webhooks;

/// <summary>
/// How long to wait after each failed try: the first retry within 10 seconds, then longer and longer, giving up after
/// nine tries, a little under a day after the first.
/// </summary>
public static class RetrySchedule
{
    static readonly TimeSpan[] Delays =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(8), TimeSpan.FromHours(8),
    ];

    public static int MaxAttempts => Delays.Length + 1;

    /// <summary>The wait after the given number of failed tries; null when it was the last.</summary>
    public static TimeSpan? After(int attempts) => attempts >= 1 && attempts <= Delays.Length ? Delays[attempts - 1] : null;
}
