using Cadence.Data;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Messages;

/// <summary>
/// Delivers the outbox. Each node claims queued texts in an UPDATE (with FOR UPDATE SKIP LOCKED on
/// PostgreSQL), so several nodes share the work and no text is claimed twice. A text is marked "sending"
/// before it goes to the provider; one found still "sending" after a crash may or may not have gone, so it
/// ends as failed ("delivery state unknown") and is never sent again.
/// </summary>
public sealed class OutboxWorker(IServiceScopeFactory scopes, ISmsProvider provider, CadenceSettings settings, TimeProvider time, ILogger<OutboxWorker> logger)
    : BackgroundService
{
    const int BatchSize = 200;
    const int MaxAttempts = 5;
    static readonly TimeSpan RecoveryInterval = TimeSpan.FromSeconds(30);
    DateTime nextRecovery;
    static readonly TimeSpan SendingLease = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await RunOnceAsync(stoppingToken))
                {
                    await Task.Delay(settings.OutboxPollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "The outbox could not be worked; trying again.");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Sends one batch; false when there was nothing to send.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CadenceDb>();
        var now = time.GetUtcNow().UtcDateTime;
        if (now >= nextRecovery)
        {
            nextRecovery = now + RecoveryInterval;
            var abandoned = now - SendingLease;
            await db.Messages.Where(m => m.Status == MessageStatus.Sending && m.SendingAt < abandoned)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MessageStatus.Failed)
                    .SetProperty(m => m.StatusReason, "delivery state unknown").SetProperty(m => m.UpdatedAt, now), cancellationToken);
        }
        // A read first: an idle outbox costs no write lock (on SQLite, readers never wait for writers).
        if (!await db.Messages.AnyAsync(m => m.Status == MessageStatus.Queued && m.Direction == "outbound", cancellationToken))
        {
            return false;
        }

        var token = Guid.NewGuid();
        // The one hand-written statement of the outbox: claiming has to be a single atomic UPDATE.
        if (db.IsPostgres)
        {
            await db.Database.ExecuteSqlAsync(
                $"UPDATE \"Messages\" SET \"Status\" = 'sending', \"ClaimToken\" = {token}, \"SendingAt\" = {now}, \"UpdatedAt\" = {now} WHERE \"Id\" IN (SELECT \"Id\" FROM \"Messages\" WHERE \"Status\" = 'queued' AND \"Direction\" = 'outbound' AND (\"NotBefore\" IS NULL OR \"NotBefore\" <= {now}) ORDER BY \"Id\" LIMIT {BatchSize} FOR UPDATE SKIP LOCKED)",
                cancellationToken);
        }
        else
        {
            await db.Database.ExecuteSqlAsync(
                $"UPDATE \"Messages\" SET \"Status\" = 'sending', \"ClaimToken\" = {token}, \"SendingAt\" = {now}, \"UpdatedAt\" = {now} WHERE \"Id\" IN (SELECT \"Id\" FROM \"Messages\" WHERE \"Status\" = 'queued' AND \"Direction\" = 'outbound' AND (\"NotBefore\" IS NULL OR \"NotBefore\" <= {now}) ORDER BY \"Id\" LIMIT {BatchSize})",
                cancellationToken);
        }
        var claimed = await db.Messages.Where(m => m.ClaimToken == token).OrderBy(m => m.Id).ToListAsync(cancellationToken);
        var teamIds = claimed.Where(m => m.Bulk).Select(m => m.TeamId).Distinct().ToList();
        var zones = await db.Teams.Where(t => teamIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.TimeZone, cancellationToken);
        foreach (var message in claimed)
        {
            // Checked again at sending time: a bulk send held up past 22:00 (a stopped server, a long queue) waits for the morning.
            if (message.Bulk && message.TeamId is { } teamId && QuietHours.NextAllowed(now, zones[teamId]) is var allowed && allowed > now)
            {
                message.Status = MessageStatus.Queued;
                message.NotBefore = allowed;
                message.UpdatedAt = now;
                continue;
            }
            SendOutcome outcome;
            try
            {
                outcome = await provider.SendAsync(message, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Sending message {Id} failed; the provider may have taken it.", message.Id);
                outcome = new SendOutcome(MessageStatus.Failed, null, "delivery state unknown");
            }
            message.Attempts++;
            message.Status = outcome.Status == MessageStatus.Queued && message.Attempts >= MaxAttempts ? MessageStatus.Failed : outcome.Status;
            message.StatusReason = outcome.Reason;
            message.ProviderMessageId = outcome.ProviderMessageId;
            message.UpdatedAt = time.GetUtcNow().UtcDateTime;
            // Refused before acceptance: try again later, waiting longer each time.
            message.NotBefore = message.Status == MessageStatus.Queued ? message.UpdatedAt + TimeSpan.FromSeconds(Math.Pow(2, message.Attempts)) : null;
        }
        await db.SaveChangesAsync(cancellationToken);
        return claimed.Count > 0;
    }
}
