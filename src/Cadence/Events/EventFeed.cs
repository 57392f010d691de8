using System.Globalization;
using Cadence.Data;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Events;

/// <summary>A page of the feed and the position after its last event (the same position when it is empty).</summary>
public sealed record EventPage(IReadOnlyList<Event> Events, EventCursor Next);

/// <summary>
/// Reads events in the order they happened. Every reader (the API feed, the webhook fan-out) goes through here, so
/// the rule that keeps a reader from skipping an event still being committed lives in one place.
/// </summary>
public static class EventFeed
{
    /// <summary>
    /// Events after <paramref name="after"/> (<see cref="EventCursor.Start"/> for the start), oldest first.
    /// <paramref name="teams"/> null means every team (and team-less events); <paramref name="types"/> null means every type.
    /// </summary>
    /// <remarks>
    /// PostgreSQL assigns an id when a row is inserted, not when it commits, so a later id can become visible first and
    /// a reader paging by id would step over the earlier one for good. There the feed is ordered by the writing
    /// transaction's id (xid8, a column default) and then the event id, and shows only transactions older than the
    /// oldest one still running (pg_snapshot_xmin): every row below that horizon is final, and any transaction still
    /// to commit lies above it, so above any cursor handed out. The price is that a long transaction anywhere holds
    /// new events back until it ends. SQLite has one writer at a time: ids commit in order, and the id is enough.
    /// </remarks>
    public static async Task<EventPage> ReadAfterAsync(CadenceDb db, Guid organizationId, EventCursor after,
        IReadOnlyCollection<Guid>? teams, IReadOnlyCollection<string>? types, int limit, CancellationToken cancellationToken)
    {
        var query = db.IsPostgres
            ? db.Events.FromSql($"""
                SELECT * FROM "Events" WHERE "TransactionId" < pg_snapshot_xmin(pg_current_snapshot())
                AND ("TransactionId" > {Xid(after)}::xid8 OR ("TransactionId" = {Xid(after)}::xid8 AND "Id" > {after.EventId}))
                """)
            : db.Events.Where(e => e.Id > after.EventId);
        query = query.AsNoTracking().Where(e => e.OrganizationId == organizationId);
        if (teams is not null)
        {
            query = query.Where(e => e.TeamId != null && teams.Contains(e.TeamId.Value));
        }
        if (types is not null)
        {
            query = query.Where(e => types.Contains(e.Type));
        }
        if (!db.IsPostgres)
        {
            var events = await query.OrderBy(e => e.Id).Take(limit).ToListAsync(cancellationToken);
            return new EventPage(events, events.Count == 0 ? after : new EventCursor(0, events[^1].Id));
        }
        var rows = await query.OrderBy(e => EF.Property<ulong>(e, EventConfiguration.TransactionId)).ThenBy(e => e.Id).Take(limit)
            .Select(e => new { Event = e, Transaction = EF.Property<ulong>(e, EventConfiguration.TransactionId) })
            .ToListAsync(cancellationToken);
        return new EventPage([.. rows.Select(r => r.Event)], rows.Count == 0 ? after : new EventCursor(rows[^1].Transaction, rows[^1].Event.Id));
    }

    static string Xid(EventCursor cursor) => cursor.TransactionId.ToString(CultureInfo.InvariantCulture);
}
