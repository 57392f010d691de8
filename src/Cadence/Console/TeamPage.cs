using Cadence.Data;
using Cadence.Inbox;
using Cadence.Teams;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Console;

/// <summary>
/// A console page about one team's data, chosen with ?team=CODE. Only teams the signed-in user may use can be
/// opened: any other code gets a message and a 403 (the team exists) or 404, never the team's data.
/// </summary>
public abstract class TeamPage(CadenceDb db) : ConsolePage
{
    protected CadenceDb Db { get; } = db;

    [BindProperty(SupportsGet = true, Name = "team")]
    public string? TeamCode { get; set; }

    /// <summary>The team the page shows; null when it may not be opened (Error says why).</summary>
    public Team? Team { get; set; }

    /// <summary>The teams this user may use, for the team picker.</summary>
    public List<Team> Teams { get; set; } = [];

    /// <summary>Opens ?team=, or the user's first team without one; false (with Error and the status set) when it may not be opened.</summary>
    protected async Task<bool> OpenTeamAsync()
    {
        Teams = await MyTeamsAsync(Db);
        if (string.IsNullOrWhiteSpace(TeamCode))
        {
            Team = Teams.FirstOrDefault();
            Error = Team is null ? "You are not in any team yet. Ask an owner to add you to one." : null;
            return Team is not null;
        }
        var code = DepartmentCode.Normalize(TeamCode);
        Team = Teams.FirstOrDefault(t => t.DepartmentCode == code);
        if (Team is not null)
        {
            return true;
        }
        var shown = TextCut.Cut(code, 16);
        var exists = await Db.Teams.AnyAsync(t => t.OrganizationId == Me.OrganizationId && t.DepartmentCode == code, HttpContext.RequestAborted);
        Error = exists ? $"You may not use team {shown}. Ask an owner or one of its admins to add you." : $"There is no team '{shown}'.";
        HttpContext.Response.StatusCode = exists ? StatusCodes.Status403Forbidden : StatusCodes.Status404NotFound;
        return false;
    }

    /// <summary>The team's custom fields this user may not see: those hidden from staff, unless they administer the team.</summary>
    protected async Task<HashSet<string>> FieldsHiddenFromMeAsync()
    {
        var team = Team!;
        return Me.Administers(team.Id)
            ? []
            : (await Db.CustomFields.AsNoTracking().Where(f => f.TeamId == team.Id && f.HiddenFromStaff).Select(f => f.Name)
                .ToListAsync(HttpContext.RequestAborted)).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>A time in UTC, named so.</summary>
    public static string When(DateTime at) => at.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " UTC";

    /// <summary>A time in the team's time zone, the zone named (the API stays UTC).</summary>
    public static string When(DateTime at, Team? team) => TeamTime.Format(at, team?.TimeZone) + " " + TeamTime.Name(team?.TimeZone);
}
