using Cadence.Metrics;

namespace Cadence.Messages;

/// <summary>
/// Counts what the provider says of each text (cadence.texts by status) around whichever provider is configured,
/// so the delivery loop itself needs no metrics code. A refusal the worker will retry counts as "retry"; a call
/// that throws (the worker records "delivery state unknown") as "failed". It lives with the providers it wraps, so
/// that Metrics needs nothing of Messages' provider types: it only counts.
/// </summary>
public sealed class CountingSmsProvider(ISmsProvider inner) : ISmsProvider
{
    public bool ReportsLater => inner.ReportsLater;

    public async Task<SendOutcome> SendAsync(Message message, CancellationToken cancellationToken)
    {
        SendOutcome outcome;
        try
        {
            outcome = await inner.SendAsync(message, cancellationToken);
        }
        catch
        {
            CadenceMetrics.Text(MessageStatus.Failed);
            throw;
        }
        CadenceMetrics.Text(outcome.Status == MessageStatus.Queued ? "retry" : outcome.Status);
        return outcome;
    }
}
