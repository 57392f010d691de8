using Cadence.Contacts;
using Cadence.Data;
using Cadence.Events;
using Cadence.Metrics;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Messages;

/// <summary>
/// Delivers the outbox. Each node claims a batch of queued texts in an UPDATE (with FOR UPDATE SKIP LOCKED on
/// PostgreSQL), so several nodes share the work, then marks a chunk at a time "sending" (a conditional write:
/// only texts it still holds) before handing them to the provider. A text found still "sending" after a
/// crash may or may not have gone, so it ends as failed ("delivery state unknown") and is never sent again;
/// a claimed text not yet "sending" was never handed over, so another worker may take it after a minute.
/// </summary>
public sealed class OutboxWorker(
    IServiceScopeFactory scopes, ISmsProvider provider, SendThrottle throttle, CadenceSettings settings, TimeProvider time, ILogger<OutboxWorker> logger,
    Inbox.ConversationSignals signals)
    : BackgroundService
{
    const int BatchSize = 200;
    const int ChunkSize = 50;
    static readonly OutboxClaim Claim = new("Messages", "SendingAt", "\"Id\"");
    const int MaxAttempts = 5;
    static readonly TimeSpan RecoveryInterval = TimeSpan.FromSeconds(30);
    DateTime nextRecovery;

    // A claim whose round failed part-way (the database went away): its texts that are still queued are let go
    // at the next round, rather than waiting out the claim lease.
    Guid? unfinishedClaim;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new OutageBackoff(logger, "The outbox worker");
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var sent = await RunOnceAsync(stoppingToken);
                backoff.Succeeded();
                if (!sent)
                {
                    await Task.Delay(settings.OutboxPollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                await OutageBackoff.WaitAsync(backoff.Failed(e), stoppingToken);
            }
        }
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
            await FailAbandonedAsync(db, now, cancellationToken);
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
        await HoldForQuietHoursAsync(db, claim, now, cancellationToken);
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
        var (sending, refused) = await MarkSendingAsync(db, claim, ids, now, cancellationToken);
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
                Requeue(message, time.GetUtcNow().UtcDateTime, time.GetUtcNow().UtcDateTime);
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
            message.Attempts++;
            message.UpdatedAt = time.GetUtcNow().UtcDateTime;
            // A provider's words can be long; the column holds 300 characters.
            message.StatusReason = outcome.Reason is { Length: > 300 } reason
                ? reason[..(char.IsHighSurrogate(reason[298]) ? 298 : 299)] + "…" // never half of a surrogate pair
                : outcome.Reason;
            message.ProviderMessageId = outcome.ProviderMessageId;
            if (outcome.Status == MessageStatus.Queued && message.Attempts < MaxAttempts)
            {
                // Refused before acceptance: try again later, waiting longer each time.
                Requeue(message, message.UpdatedAt + TimeSpan.FromSeconds(Math.Pow(2, message.Attempts)), message.UpdatedAt);
            }
            else
            {
                message.Status = outcome.Status == MessageStatus.Queued ? MessageStatus.Failed : outcome.Status;
                happened.Add(events.StatusChanged(message, message.UpdatedAt)); // saved with the status by RecordAsync
            }
            if (provider.ReportsLater)
            {
                await RecordAsync(db, happened);
            }
        }
        await RecordAsync(db, happened);
        signals.RaiseStatus(sending, leftTheQueue: true);
    }

    /// <summary>
    /// The chunk's guards and its mark as "sending", in one transaction: the texts now "sending" (tracked), and those
    /// the guards failed.
    /// </summary>
    async Task<(List<Message> Sending, List<Message> Refused)> MarkSendingAsync(CadenceDb db, Guid claim, long[] ids, DateTime now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Messages.Where(m => ids.Contains(m.Id) && m.ClaimToken == claim && m.Status == MessageStatus.Queued && !m.IgnoresOptOut
                && db.NumberOptOuts.Any(o => o.OrganizationId == m.OrganizationId && o.MobileNumber == m.MobileNumber
                    && o.Source == NumberOptOut.Keyword && (o.TeamId == m.TeamId || o.TeamId == NumberOptOut.EveryTeam)))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MessageStatus.Failed)
                .SetProperty(m => m.StatusReason, "the student texted STOP before it was sent").SetProperty(m => m.UpdatedAt, now), cancellationToken);
        await db.Messages.Where(m => ids.Contains(m.Id) && m.ClaimToken == claim && m.Status == MessageStatus.Queued && !m.IgnoresOptOut
                && !db.Contacts.Any(c => c.Id == m.ContactId))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MessageStatus.Failed)
                .SetProperty(m => m.StatusReason, ContactDeletion.Reason).SetProperty(m => m.UpdatedAt, now), cancellationToken);
        await db.Messages.Where(m => ids.Contains(m.Id) && m.ClaimToken == claim && m.Status == MessageStatus.Queued
                && (m.IgnoresOptOut || !db.Contacts.Any(c => c.Id == m.ContactId && c.OptedOut)))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MessageStatus.Sending).SetProperty(m => m.SendingAt, now).SetProperty(m => m.UpdatedAt, now),
                cancellationToken);
        // From here on not the stopping token: texts now marked "sending" must be seen through or put back.
        var sending = await db.Messages.Where(m => ids.Contains(m.Id) && m.ClaimToken == claim && m.Status == MessageStatus.Sending)
            .OrderBy(m => m.Id).ToListAsync(CancellationToken.None);
        List<Message> refused = [];
        if (sending.Count < ids.Length)
        {
            await db.Messages.Where(m => ids.Contains(m.Id) && m.ClaimToken == claim && m.Status == MessageStatus.Queued && !m.IgnoresOptOut
                    && db.Contacts.Any(c => c.Id == m.ContactId && c.OptedOut))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MessageStatus.Failed)
                    .SetProperty(m => m.StatusReason, "the contact opted out before it was sent").SetProperty(m => m.UpdatedAt, now), CancellationToken.None);
            // Every text of the chunk was queued under this claim, so the failed ones are those the guards just failed.
            refused = await MessageEvents.AppendForAsync(db, db.Messages.Where(m => ids.Contains(m.Id) && m.ClaimToken == claim && m.Status == MessageStatus.Failed),
                now, CancellationToken.None);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        await transaction.CommitAsync(CancellationToken.None);
        return (sending, refused);
    }

    /// <summary>
    /// Texts still "sending" long after they were handed over end as "delivery state unknown". RETURNING names the
    /// texts this statement changed (another node may be recovering the same ones), so each gets one event, in the
    /// statement's transaction.
    /// </summary>
    async Task FailAbandonedAsync(CadenceDb db, DateTime now, CancellationToken cancellationToken)
    {
        var abandoned = now - settings.SendingLease;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var failed = await db.Database.SqlQuery<long>(
            $"UPDATE \"Messages\" SET \"Status\" = 'failed', \"StatusReason\" = 'delivery state unknown', \"UpdatedAt\" = {now} WHERE \"Status\" = 'sending' AND \"SendingAt\" < {abandoned} RETURNING \"Id\" AS \"Value\"")
            .ToListAsync(cancellationToken);
        if (failed.Count > 0)
        {
            var texts = await MessageEvents.AppendForAsync(db, db.Messages.Where(m => failed.Contains(m.Id)), now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            CadenceMetrics.Text(MessageStatus.Failed, failed.Count); // the provider's answer was lost with the crash (or not recorded in time: then counted twice)
            signals.RaiseStatus(texts, leftTheQueue: true);
            return;
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Saves what the provider said, waiting out a database outage (up to the sending lease, after which the texts
    /// count as "delivery state unknown" anyway): a text the provider took must not be sent again, and its
    /// outcome is worth waiting for. Not the stopping token: this must happen during a shutdown too.
    /// </summary>
    async Task RecordAsync(CadenceDb db, List<Event> happened)
    {
        var giveUp = DateTime.UtcNow + settings.SendingLease;
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
    /// Checked again at sending time: bulk texts held up past 22:00 (a stopped server, a long queue) go back to
    /// wait for the morning in their team's time zone.
    /// </summary>
    async Task HoldForQuietHoursAsync(CadenceDb db, Guid claim, DateTime now, CancellationToken cancellationToken)
    {
        var zones = await db.Messages.AsNoTracking().Where(m => m.ClaimToken == claim && m.Bulk)
            .Select(m => db.Teams.Where(t => t.Id == m.TeamId).Select(t => new { t.Id, t.TimeZone }).First())
            .Distinct().ToListAsync(cancellationToken);
        foreach (var team in zones)
        {
            if (QuietHours.NextAllowed(now, team.TimeZone) is var allowed && allowed > now)
            {
                await db.Messages.Where(m => m.ClaimToken == claim && m.Bulk && m.TeamId == team.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.NotBefore, allowed).SetProperty(m => m.ClaimToken, (Guid?)null).SetProperty(m => m.UpdatedAt, now), cancellationToken);
            }
        }
    }

    static void Requeue(Message message, DateTime notBefore, DateTime now)
    {
        message.Status = MessageStatus.Queued;
        message.NotBefore = notBefore;
        message.ClaimToken = null;
        message.UpdatedAt = now;
    }
}
