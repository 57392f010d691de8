using Cadence.Data;
using Cadence.Events;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Webhooks;

/// <summary>
/// Fans new events out to endpoints: reads the event log after the stored position and inserts one delivery per
/// matching enabled endpoint, moving the position in the same transaction, so an event is queued once or not at all.
/// On PostgreSQL the position row is locked (FOR UPDATE) for the transaction: one dispatcher at a time across nodes.
/// Sends and imports only write events; they never wait on this.
/// </summary>
public static class WebhookDispatcher
{
    const int BatchSize = 500;

    /// <summary>Dispatches one batch for each organization; the number of events read.</summary>
    public static async Task<int> RunOnceAsync(CadenceDb db, DateTime now, CancellationToken cancellationToken)
    {
        var read = 0;
        foreach (var organization in await db.Organizations.AsNoTracking().Select(o => o.Id).ToListAsync(cancellationToken))
        {
            read += await DispatchAsync(db, organization, now, cancellationToken);
        }
        return read;
    }

    static async Task<int> DispatchAsync(CadenceDb db, Guid organizationId, DateTime now, CancellationToken cancellationToken)
    {
        var positions = db.WebhookPositions();
        if (!await positions.AnyAsync(p => p.OrganizationId == organizationId, cancellationToken))
        {
            // The first run: from the start of the log. A racing node's insert wins; this one just re-reads.
            try
            {
                positions.Add(new WebhookPosition { OrganizationId = organizationId });
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
            }
            db.ChangeTracker.Clear();
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var after = db.IsPostgres
            ? (await db.WebhookPositions().FromSql($"SELECT * FROM \"WebhookPositions\" WHERE \"OrganizationId\" = {organizationId} FOR UPDATE")
                .AsNoTracking().ToListAsync(cancellationToken)).Single().Cursor
            : (await positions.AsNoTracking().SingleAsync(p => p.OrganizationId == organizationId, cancellationToken)).Cursor;
        // The one place webhooks read the event log.
        var page = await EventFeed.ReadAfterAsync(db, organizationId, after, null, null, BatchSize, cancellationToken);
        var events = page.Events;
        if (events.Count == 0)
        {
            return 0;
        }
        var endpoints = await db.WebhookEndpoints().AsNoTracking().Include(e => e.Teams)
            .Where(e => e.OrganizationId == organizationId && e.Enabled).ToListAsync(cancellationToken);
        foreach (var e in events)
        {
            foreach (var endpoint in endpoints.Where(x => x.Wants(e)))
            {
                db.WebhookDeliveries().Add(NewDelivery(endpoint.Id, e, now));
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        // Conditional: on SQLite (no row lock) a second dispatcher that read the same position moves nothing and rolls back.
        var (fromTransaction, fromEvent) = ((long)after.TransactionId, after.EventId);
        var moved = await positions.Where(p => p.OrganizationId == organizationId && p.AfterTransactionId == fromTransaction && p.AfterEventId == fromEvent)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.AfterTransactionId, (long)page.Next.TransactionId).SetProperty(p => p.AfterEventId, page.Next.EventId), cancellationToken);
        if (moved == 1)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        db.ChangeTracker.Clear();
        return moved == 1 ? events.Count : 0;
    }

    public static WebhookDelivery NewDelivery(Guid endpointId, Event e, DateTime now) => new()
    {
        EndpointId = endpointId,
        WebhookId = e.PublicId,
        EventType = e.Type,
        Payload = e.Payload,
        NextAttemptAt = now,
        CreatedAt = now,
    };
}
