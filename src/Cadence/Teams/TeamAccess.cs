using Cadence.Authentication;
using Cadence.Data;

namespace Cadence.Teams;

/// <summary>
/// The one check of a team-scoped API call: the credential's team grant first (a team-restricted credential gets
/// the same 403 whether or not the team exists, so it learns nothing about it), then the team of the caller's
/// organization (404). The route front door (<see cref="TeamFrontDoor"/>) and the calls that name the team in
/// their body or query both come here.
/// </summary>
public static class TeamAccess
{
    /// <summary>Whether the credential may use the team the text names (it need not exist).</summary>
    public static bool IsGranted(ApiCaller caller, string given) => caller.MayUseTeam(DepartmentCode.Normalize(given));

    /// <summary>The 403's detail; <paramref name="shown"/> is the code as the caller wrote it, or its normal form.</summary>
    public static string NotGrantedDetail(string shown) => $"This credential may not use team '{TeamLookup.Shown(shown)}'.";

    /// <summary>The caller's team, or a 403 / 404 <see cref="CadenceException"/>.</summary>
    public static async Task<Team> FindAsync(HttpContext http, CadenceDb db, ApiCaller caller, string given, string shown, CancellationToken cancellationToken)
    {
        if (!IsGranted(caller, given))
        {
            throw new CadenceException(NotGrantedDetail(shown), StatusCodes.Status403Forbidden, "team_not_granted");
        }
        return await FindGrantedAsync(http, db, caller, given, cancellationToken);
    }

    /// <summary>
    /// The caller's team by department code, scoped to its organization; 404 when there is none, or when the
    /// credential's grant (by team id) leaves it out. The grant is checked here, at Teams' HTTP edge, so that
    /// <see cref="TeamLookup"/> needs nothing above Teams. The team comes from this node's <see cref="KnownTeams"/>.
    /// </summary>
    internal static async Task<Team> FindGrantedAsync(HttpContext http, CadenceDb db, ApiCaller caller, string given, CancellationToken cancellationToken)
    {
        var known = http.RequestServices.GetRequiredService<KnownTeams>();
        var team = await known.FindAsync(db, caller.OrganizationId, given, cancellationToken);
        return caller.MayUseTeam(team.Id) ? team : throw TeamLookup.NotFound(team.DepartmentCode);
    }

    /// <summary>For the calls that name the team in their JSON body (messages/CreateAndSend, bulk): it is required there.</summary>
    public static Task<Team> FromBodyAsync(HttpContext http, CadenceDb db, string? departmentCode)
    {
        if (string.IsNullOrWhiteSpace(departmentCode))
        {
            throw new CadenceException("departmentCode is required.");
        }
        return FindAsync(http, db, http.ApiCaller(), departmentCode, departmentCode, http.RequestAborted);
    }

    /// <summary>For the listings that narrow to a team by a departmentCode query parameter (messages, events).</summary>
    public static Task<Team> FromQueryAsync(HttpContext http, CadenceDb db, string departmentCode, CancellationToken cancellationToken) =>
        FindAsync(http, db, http.ApiCaller(), departmentCode, DepartmentCode.Normalize(departmentCode), cancellationToken);
}
