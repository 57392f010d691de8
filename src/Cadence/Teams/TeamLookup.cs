using Cadence.Authentication;
using Cadence.Data;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Teams;

public static class TeamLookup
{
    /// <summary>The caller's team by department code, scoped to its organization; 404 when there is none.</summary>
    public static async Task<Team> FindAsync(CadenceDb db, ApiCaller caller, string departmentCode, CancellationToken cancellationToken)
    {
        var code = departmentCode.Trim().ToUpperInvariant();
        var team = await db.Teams.AsNoTracking().SingleOrDefaultAsync(t => t.OrganizationId == caller.OrganizationId && t.DepartmentCode == code, cancellationToken);
        return team is not null && caller.MayUseTeam(team.Id)
            ? team
            : throw new CadenceException($"There is no team '{(code.Length > 16 ? code[..16] + "…" : code)}'.", StatusCodes.Status404NotFound, "team_not_found");
    }
}
