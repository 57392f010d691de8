using Cadence.Data;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Events;

/// <summary>
/// Reads events in the order they happened. Every reader (the API feed, the webhook fan-out) goes through here, so
/// the rule that keeps a reader from skipping an event still being committed lives in one place.
/// </summary>
public static class EventFeed
{
    /// <summary>
    /// Events after <paramref name="afterId"/> (0 for the start), oldest first. <paramref name="teams"/> null means every
    /// team (and team-less events); <paramref name="types"/> null means every type.
    /// </summary>
    public static async Task<List<Event>> ReadAfterAsync(CadenceDb db, Guid organizationId, long afterId,
        IReadOnlyCollection<Guid>? teams, IReadOnlyCollection<string>? types, int limit, CancellationToken cancellationToken)
    {
        // TODO(h-events): only return events no concurrent writer can still insert before (PostgreSQL assigns ids
        // before commit, so a later id can commit first).
        var query = db.Events.AsNoTracking().Where(e => e.OrganizationId == organizationId && e.Id > afterId);
        if (teams is not null)
        {
            query = query.Where(e => e.TeamId != null && teams.Contains(e.TeamId.Value));
        }
        if (types is not null)
        {
            query = query.Where(e => types.Contains(e.Type));
        }
        return await query.OrderBy(e => e.Id).Take(limit).ToListAsync(cancellationToken);
    }
}
