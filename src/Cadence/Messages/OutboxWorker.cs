using Cadence.Data;
using Cadence.Events;
using Cadence.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cadence.Messages;

/// <summary>
/// Delivers the outbox. Each node claims a batch of queued texts in an UPDATE (with FOR UPDATE SKIP LOCKED on
/// PostgreSQL), so several nodes share the work, then marks a chunk at a time "sending" (a conditional write:
/// only texts it still holds) before handing them to the provider. A text found still "sending" after a
/// crash may or may not have gone, so it ends as failed ("delivery state unknown") and is never sent again;
/// a claimed text not yet "sending" was never handed over, so another worker may take it after a minute.
/// </summary>
public sealed class OutboxWorker(
    IServiceScopeFactory scopes, ISmsProvider provider, SendThrottle throttle, IOptions<MessagesOptions> options, TimeProvider time, ILogger<OutboxWorker> logger,
    ConversationSignals signals)
    : BackgroundService
{
    const int BatchSize = 200;
    readonly MessagesOptions settings = options.Value;
    const int ChunkSize = 50;
    static readonly OutboxClaim Claim = new("Messages", "SendingAt", "\"Id\"");
    static readonly TimeSpan RecoveryInterval = TimeSpan.FromSeconds(30);
    DateTime nextRecovery;

    // A claim whose round failed part-way (the database went away): its texts that are still queued are let go
    // at the next round, rather than waiting out the claim lease.
    Guid? unfinishedClaim;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await OutboxLoop.RunAsync(RunOnceAsync, settings.OutboxPollInterval, logger, "The outbox worker", stoppingToken);
        // Stopping: texts claimed but never handed over go back to the queue now, for the next start or another
        // node, instead of after the claim lease.
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await ReleaseUnfinishedClaimAsync(scope.ServiceProvider.GetRequiredService<CadenceDb>(), CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not put claimed texts back in the queue; another worker takes them after the claim lease.");
        }
    }

    async Task ReleaseUnfinishedClaimAsync(CadenceDb db, CancellationToken cancellationToken)
    {
        if (unfinishedClaim is { } unfinished)
        {
            await db.Messages.Where(m => m.ClaimToken == unfinished && m.Status == MessageStatus.Queued)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimToken, (Guid?)null), cancellationToken);
            unfinishedClaim = null;
        }
    }

    /// <summary>Sends one batch; false when there was nothing to send.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CadenceDb>();
        var now = time.GetUtcNow().UtcDateTime;
        await ReleaseUnfinishedClaimAsync(db, cancellationToken);
        if (now >= nextRecovery)
        {
            nextRecovery = now + RecoveryInterval;
            var abandoned = await OutboxOutcomes.FailAbandonedAsync(db, now, now - settings.SendingLease, cancellationToken);
            if (abandoned.Count > 0)
            {
                CadenceMetrics.Text(MessageStatus.Failed, abandoned.Count); // the provider's answer was lost with the crash (or not recorded in time: then counted twice)
                signals.RaiseStatus(abandoned, leftTheQueue: true);
            }
            var expired = now - Idempotency.Kept;
            await db.IdempotencyRecords.Where(r => r.CreatedAt < expired).ExecuteDeleteAsync(cancellationToken);
        }
        // A read first: an idle outbox costs no write lock (on SQLite, readers never wait for writers).
        if (!await db.Messages.AnyAsync(m => m.Status == MessageStatus.Queued && m.Direction == "outbound", cancellationToken))
        {
            return false;
        }

        // Claiming marks a batch as this worker's, still queued: a claim abandoned by a crash (or a stalled
        // node) is taken over after the claim lease, which is safe because none of it was handed to the provider.
        var claim = Guid.NewGuid();
        unfinishedClaim = claim;
        var stale = now - settings.ClaimLease;
        await Claim.ClaimAsync(db,
            $"\"Status\" = 'queued' AND \"Direction\" = 'outbound' AND (\"NotBefore\" IS NULL OR \"NotBefore\" <= {now}) AND (\"ClaimToken\" IS NULL OR \"SendingAt\" < {stale})",
            claim, now, BatchSize, cancellationToken);
        var claimed = await db.Messages.Where(m => m.ClaimToken == claim).OrderBy(m => m.Id).Select(m => m.Id).ToListAsync(cancellationToken);
        await OutboxGuards.HoldForQuietHoursAsync(db, claim, now, cancellationToken);
        foreach (var chunk in claimed.Chunk(ChunkSize))
        {
            var allowed = throttle.Take(chunk.Length);
            if (allowed < chunk.Length)
            {
                // The sending number's rate is used up for this second: let go of the rest, untouched, for a later round.
                var rest = chunk[allowed..].Concat(claimed.SkipWhile(id => id <= chunk[^1])).ToList();
                await db.Messages.Where(m => rest.Contains(m.Id) && m.ClaimToken == claim && m.Status == MessageStatus.Queued)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimToken, (Guid?)null), cancellationToken);
                if (allowed > 0)
                {
                    await SendChunkAsync(db, claim, chunk[..allowed], cancellationToken);
                }
                unfinishedClaim = null;
                return allowed > 0;
            }
            await SendChunkAsync(db, claim, chunk, cancellationToken);
        }
        unfinishedClaim = null;
        return claimed.Count > 0;
    }

    /// <summary>
    /// Marks a few claimed texts "sending" (only those still this worker's) in one write before any goes to the
    /// provider, then records what became of each: a crash loses the state of at most one chunk.
    /// </summary>
    async Task SendChunkAsync(CadenceDb db, Guid claim, long[] ids, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // One conditional write: only texts still claimed by this worker, still queued, and to a contact who has
        // not replied STOP since they were queued (a scheduled send, quiet hours, a backlog) become "sending".
        // Never to a number whose student texted STOP (NumberOptOut), whatever a racing import made of the contact
        // row; never to a contact deleted since it was queued.
        // The guards, the mark and the status events of the texts the guards fail commit together: a crash leaves the
        // chunk as it was (claimed and queued), never a failed text without its event.
        var (sending, refused) = await OutboxGuards.MarkSendingAsync(db, claim, ids, now, cancellationToken);
        if (refused.Count > 0)
        {
            // Failed before the provider saw them (the provider's outcomes are counted by CountingSmsProvider).
            CadenceMetrics.Text(MessageStatus.Failed, refused.Count);
            signals.RaiseStatus(refused, leftTheQueue: true);
        }
        var events = await MessageEvents.ForAsync(db, sending, CancellationToken.None);
        List<Event> happened = [];

        foreach (var message in sending)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                // Shutting down: texts not yet handed over go back to the queue, untouched.
                OutboxOutcomes.Requeue(message, time.GetUtcNow().UtcDateTime, time.GetUtcNow().UtcDateTime);
                continue;
            }
            SendOutcome outcome;
            try
            {
                // Not the stopping token: a text in the provider's hands is seen through (the provider's own
                // timeout bounds it), so that a graceful stop records its outcome instead of "delivery state unknown".
                outcome = await provider.SendAsync(message, CancellationToken.None);
            }
            catch (Exception e)
            {
                // A timeout or a broken connection mid-call: the provider may have taken it.
                logger.LogWarning(e, "Sending message {Id} failed; the provider may have taken it.", message.Id);
                outcome = new SendOutcome(MessageStatus.Failed, null, "delivery state unknown");
            }
            if (OutboxOutcomes.Apply(message, outcome, time.GetUtcNow().UtcDateTime))
            {
                happened.Add(events.StatusChanged(message, message.UpdatedAt)); // saved with the status by RecordAsync
            }
            if (provider.ReportsLater)
            {
                await OutboxOutcomes.RecordAsync(db, happened, settings.SendingLease, logger);
            }
        }
        await OutboxOutcomes.RecordAsync(db, happened, settings.SendingLease, logger);
        signals.RaiseStatus(sending, leftTheQueue: true);
    }
}
