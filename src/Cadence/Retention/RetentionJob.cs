using Cadence.Audit;
using Cadence.Data;
using Cadence.Messages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cadence.Retention;

/// <summary>What one run erased.</summary>
public sealed record RetentionRun(bool Ran, int MessageBodies, int AuditEvents, int Events = 0);

/// <summary>
/// Once a day, erases what is older than the retention settings allow: the bodies of texts (not the texts) and
/// audit events. On PostgreSQL an advisory lock lets one node at a time run it; SQLite has one server. A run
/// that erased something leaves an audit event with the counts.
/// </summary>
public sealed class RetentionJob(IServiceScopeFactory scopes, IOptions<RetentionSettings> options, TimeProvider time, ILogger<RetentionJob> logger)
    : BackgroundService
{
    static readonly TimeSpan Interval = TimeSpan.FromDays(1);
    static readonly TimeSpan FirstRun = TimeSpan.FromMinutes(1);

    // Any fixed number: the key of the advisory lock every node asks for.
    const long LockKey = 0x43616465_6e636501;
    const int Batch = 5_000;
    readonly RetentionSettings retention = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!retention.AnyOn)
        {
            return;
        }
        var backoff = new OutageBackoff(logger, "The retention job");
        var wait = FirstRun;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(wait, time, stoppingToken);
                await RunOnceAsync(stoppingToken);
                backoff.Succeeded();
                wait = Interval;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A missed day is tried again soon rather than a day later.
                wait = TimeSpan.FromTicks(Math.Max(backoff.Failed(e).Ticks, TimeSpan.FromMinutes(1).Ticks));
            }
        }
    }

    public async Task<RetentionRun> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!retention.AnyOn)
        {
            return new RetentionRun(false, 0, 0);
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CadenceDb>();
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.IsPostgres && !await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({LockKey}) AS \"Value\"").SingleAsync(cancellationToken))
        {
            logger.LogInformation("Retention is being applied by another node; skipped here.");
            return new RetentionRun(false, 0, 0);
        }
        var bodies = retention.MessageBodyDays is { } bodyDays ? await EraseBodiesAsync(db, now.AddDays(-bodyDays), cancellationToken) : 0;
        var events = 0;
        if (retention.AuditDays is { } auditDays)
        {
            var before = now.AddDays(-auditDays);
            events = await db.AuditEvents.Where(e => e.At < before).ExecuteDeleteAsync(cancellationToken);
        }
        var feedEvents = retention.EventDays is { } eventDays ? await DeleteFeedEventsAsync(db, now.AddDays(-eventDays), cancellationToken) : 0;
        if (feedEvents > 0)
        {
            logger.LogInformation("Retention: deleted {Events} feed events older than {Days} days.", feedEvents, retention.EventDays);
        }
        if (bodies + events > 0)
        {
            var organization = await db.Organizations.Select(o => o.Id).FirstAsync(cancellationToken);
            db.Record(organization, new Actor("retention"), "retention.applied", "data", now,
                $"erased the bodies of {bodies} texts older than {retention.MessageBodyDays?.ToString() ?? "-"} days; " +
                $"deleted {events} audit events older than {retention.AuditDays?.ToString() ?? "-"} days");
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Retention: erased {Bodies} text bodies and {Events} audit events.", bodies, events);
        }
        await transaction.CommitAsync(cancellationToken);
        return new RetentionRun(true, bodies, events, feedEvents);
    }

    // In batches, so that no single statement holds SQLite's write lock for long. Texts still to be sent keep theirs.
    static async Task<int> EraseBodiesAsync(CadenceDb db, DateTime before, CancellationToken cancellationToken)
    {
        var bodies = 0;
        for (int erased; (erased = await db.Messages
            .Where(m => m.CreatedAt < before && m.Body != "" && m.Status != MessageStatus.Queued && m.Status != MessageStatus.Sending)
            .OrderBy(m => m.Id).Take(Batch)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Body, ""), cancellationToken)) > 0;)
        {
            bodies += erased;
        }
        return bodies;
    }

    // In batches like the bodies; not audited: the feed is a rolling window, and deleting from it erases no record.
    static async Task<int> DeleteFeedEventsAsync(CadenceDb db, DateTime before, CancellationToken cancellationToken)
    {
        var feedEvents = 0;
        for (int deleted; (deleted = await db.Events.Where(e => e.OccurredAt < before).OrderBy(e => e.Id).Take(Batch)
            .ExecuteDeleteAsync(cancellationToken)) > 0;)
        {
            feedEvents += deleted;
        }
        return feedEvents;
    }
}
