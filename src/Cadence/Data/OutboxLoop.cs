namespace Cadence.Data;

/// <summary>
/// The loop of every outbox worker (texts, emails, webhook deliveries) and of the credential re-check: a round at a time until the node stops;
/// straight on while rounds find work, a poll interval's pause after one that found none, and the
/// <see cref="OutageBackoff"/> after a failed round. Returns (without throwing) once the token is cancelled.
/// </summary>
public static class OutboxLoop
{
    /// <param name="round">One round; true when it found work (then the next round starts at once).</param>
    public static async Task RunAsync(Func<CancellationToken, Task<bool>> round, TimeSpan pollInterval, ILogger logger, string work,
        CancellationToken stoppingToken)
    {
        var backoff = new OutageBackoff(logger, work);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var busy = await round(stoppingToken);
                backoff.Succeeded();
                if (!busy)
                {
                    await Task.Delay(pollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                await OutageBackoff.WaitAsync(backoff.Failed(e), stoppingToken);
            }
        }
    }
}
