using System.Collections.Concurrent;
using Cadence.Data;

namespace Cadence.Teams;

/// <summary>
/// The teams this node has found, so that a team-scoped API call reads its team from the database once per node
/// rather than on every request. Correct without any invalidation because a team, once added, never changes and is
/// never removed (nothing in Cadence renames, moves or deletes one; a feature that does must evict here first). Only
/// teams that exist are kept: a code that names no team is asked of the database each time, so a team added on
/// another node or from the CLI is found at once. Measured (session 11, a million contacts on PostgreSQL): the team's
/// query was 22% of the server's samples during lookups by number, one of each lookup's two round trips.
/// </summary>
/// <remarks>
/// Bounded: at most <see cref="Capacity"/> teams are kept (a college has tens to hundreds); past it a team is still
/// found, from the database. A team's properties are init-only, so one instance is safely shared by every request.
/// </remarks>
public sealed class KnownTeams(int capacity = KnownTeams.Capacity)
{
    public const int Capacity = 10_000;

    readonly ConcurrentDictionary<(Guid OrganizationId, string Code), Team> teams = new();

    public int Count => teams.Count;

    /// <summary>Like <see cref="TeamLookup.FindAsync"/>: the organization's team by department code, or a 404.</summary>
    public async Task<Team> FindAsync(CadenceDb db, Guid organizationId, string departmentCode, CancellationToken cancellationToken)
    {
        if (DepartmentCode.TryParse(departmentCode, out var code) && teams.TryGetValue((organizationId, code.ToString()), out var known))
        {
            return known;
        }
        var team = await TeamLookup.FindAsync(db, organizationId, departmentCode, cancellationToken);
        if (teams.Count < capacity)
        {
            teams.TryAdd((organizationId, team.DepartmentCode), team);
        }
        return team;
    }
}
