using Cadence.Data;
using Cadence.Events;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Messages;

/// <summary>
/// What becomes of the outbox's texts once the provider answered (or never did): each text's new state, saved with
/// its status event, and the texts a crash left "sending".
/// </summary>
static class OutboxOutcomes
{
    const int MaxAttempts = 5;

    /// <summary>
    /// Puts the provider's answer on the (tracked) text; true when its status is final (then it needs a status event),
    /// false when it went back to the queue to be tried again.
    /// </summary>
    public static bool Apply(Message message, SendOutcome outcome, DateTime now)
    {
        message.Attempts++;
        message.UpdatedAt = now;
        // A provider's words can be long; the column holds 300 characters.
        message.StatusReason = TextCut.Fit(outcome.Reason, 300);
        message.ProviderMessageId = outcome.ProviderMessageId;
        if (outcome.Status == MessageStatus.Queued && message.Attempts < MaxAttempts)
        {
            // Refused before acceptance: try again later, waiting longer each time.
            Requeue(message, now + TimeSpan.FromSeconds(Math.Pow(2, message.Attempts)), now);
            return false;
        }
        message.Status = outcome.Status == MessageStatus.Queued ? MessageStatus.Failed : outcome.Status;
        return true;
    }

    public static void Requeue(Message message, DateTime notBefore, DateTime now)
    {
        message.Status = MessageStatus.Queued;
        message.NotBefore = notBefore;
        message.ClaimToken = null;
        message.UpdatedAt = now;
    }

    /// <summary>
    /// Saves what the provider said, waiting out a database outage (up to the sending lease, after which the texts
    /// count as "delivery state unknown" anyway): a text the provider took must not be sent again, and its
    /// outcome is worth waiting for. Not the stopping token: this must happen during a shutdown too.
    /// </summary>
    public static async Task RecordAsync(CadenceDb db, List<Event> happened, TimeSpan sendingLease, ILogger logger)
    {
        var giveUp = DateTime.UtcNow + sendingLease;
        var backoff = new OutageBackoff(logger, "Recording delivery outcomes");
        var retrying = false;
        while (true)
        {
            try
            {
                // A commit whose answer was lost in the outage may have happened: then its first event is there.
                if (retrying && happened.Count > 0 && await db.Events.AnyAsync(e => e.PublicId == happened[0].PublicId, CancellationToken.None))
                {
                    db.ChangeTracker.AcceptAllChanges();
                    happened.Clear();
                    backoff.Succeeded();
                    return;
                }
                // The statuses through the change tracker, their events in one statement (EventBulkWriter): adding each
                // event to the unit of work took delivery from 2,250 to 1,310 texts/s in the messages bench.
                await using (var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None))
                {
                    await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, CancellationToken.None);
                    await EventBulkWriter.WriteAsync(db, happened, CancellationToken.None);
                    await transaction.CommitAsync(CancellationToken.None);
                }
                db.ChangeTracker.AcceptAllChanges(); // only once committed: a failed commit is saved again in full
                happened.Clear();
                backoff.Succeeded();
                return;
            }
            catch (Exception e) when (DatabaseOutage.Is(e) && DateTime.UtcNow < giveUp)
            {
                retrying = true;
                await Task.Delay(backoff.Failed(e), CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// Texts still "sending" since before <paramref name="abandoned"/> end as "delivery state unknown"; returns them.
    /// RETURNING names the texts this statement changed (another node may be recovering the same ones), so each gets
    /// one event, in the statement's transaction.
    /// </summary>
    public static async Task<List<Message>> FailAbandonedAsync(CadenceDb db, DateTime now, DateTime abandoned, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var failed = await db.Database.SqlQuery<long>(
            $"UPDATE \"Messages\" SET \"Status\" = 'failed', \"StatusReason\" = 'delivery state unknown', \"UpdatedAt\" = {now} WHERE \"Status\" = 'sending' AND \"SendingAt\" < {abandoned} RETURNING \"Id\" AS \"Value\"")
            .ToListAsync(cancellationToken);
        List<Message> texts = [];
        if (failed.Count > 0)
        {
            texts = await MessageEvents.AppendForAsync(db, db.Messages.Where(m => failed.Contains(m.Id)), now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return texts;
    }
}
