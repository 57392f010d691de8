using Cadence.Data;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Teams;

public static class TeamLookup
{
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

    /// <summary>
    /// The teams the codes name (each code parsed: a text that is no code is the 400 that says what a code is), tracked
    /// so that the caller may link rows to them; 404 for the first code that names no team.
    /// </summary>
    public static async Task<List<Team>> FindAllAsync(CadenceDb db, Guid organizationId, IEnumerable<string> departmentCodes, CancellationToken cancellationToken)
    {
        var codes = departmentCodes.Select(c => DepartmentCode.Parse(c).ToString()).Distinct().ToList();
        var teams = await db.Teams.Where(t => t.OrganizationId == organizationId && codes.Contains(t.DepartmentCode)).ToListAsync(cancellationToken);
        return codes.FirstOrDefault(c => teams.All(t => t.DepartmentCode != c)) is { } missing ? throw NotFound(missing) : teams;
    }

    internal static CadenceException NotFound(string code) =>
        new($"There is no team '{Shown(code)}'.", StatusCodes.Status404NotFound, "team_not_found");

    /// <summary>A code as a problem's detail shows it: cut short, since it echoes what the client sent.</summary>
    internal static string Shown(string code) => TextCut.Cut(code, DepartmentCode.MaxLength);
}
