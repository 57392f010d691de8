using Cadence.Authentication;
using Cadence.Data;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Teams;

public static class TeamLookup
{
    /// <summary>The caller's team by department code, scoped to its organization; 404 when there is none.</summary>
    public static async Task<Team> FindAsync(CadenceDb db, ApiCaller caller, string departmentCode, CancellationToken cancellationToken)
    {
        var team = await FindAsync(db, caller.OrganizationId, departmentCode, cancellationToken);
        return caller.MayUseTeam(team.Id) ? team : throw NotFound(team.DepartmentCode);
    }

    /// <summary>A team of the organization by department code, in any case; 404 when there is none.</summary>
    public static async Task<Team> FindAsync(CadenceDb db, Guid organizationId, string departmentCode, CancellationToken cancellationToken)
    {
        // A text that is no code names no team: the same 404, without asking the database.
        if (!DepartmentCode.TryParse(departmentCode, out var parsed))
        {
            throw NotFound(DepartmentCode.Normalize(departmentCode));
        }
        var code = parsed.ToString();
        return await db.Teams.AsNoTracking().SingleOrDefaultAsync(t => t.OrganizationId == organizationId && t.DepartmentCode == code, cancellationToken)
            ?? throw NotFound(code);
    }

    static CadenceException NotFound(string code) =>
        new($"There is no team '{Shown(code)}'.", StatusCodes.Status404NotFound, "team_not_found");

    /// <summary>A code as a problem's detail shows it: cut short, since it echoes what the client sent.</summary>
    internal static string Shown(string code) => code.Length > DepartmentCode.MaxLength ? code[..DepartmentCode.MaxLength] + "…" : code;
}
