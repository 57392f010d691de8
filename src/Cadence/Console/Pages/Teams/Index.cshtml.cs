using Cadence.Data;
using Cadence.Teams;
using Microsoft.AspNetCore.Mvc;

namespace Cadence.Console.Pages.Teams;

/// <summary>Teams (departments). Everyone sees the teams they may use; owners add teams.</summary>
public sealed class IndexModel(CadenceDb db, TeamService teams) : ConsolePage
{
    public List<Team> Teams { get; set; } = [];

    [BindProperty] public string DepartmentCode { get; set; } = "";
    [BindProperty] public string Name { get; set; } = "";
    [BindProperty] public string TimeZone { get; set; } = Team.DefaultTimeZone;

    public async Task OnGetAsync() => Teams = await MyTeamsAsync(db);

    public async Task<IActionResult> OnPostAsync()
    {
        if (!Me.IsOwner)
        {
            Error = "Only owners add teams.";
            Response.StatusCode = StatusCodes.Status403Forbidden;
        }
        else if (await TryAsync(() => teams.AddAsync(Me.OrganizationId, DepartmentCode, Name, Actor, HttpContext.RequestAborted, TimeZone)))
        {
            Notice = $"Added the team {Cadence.Teams.DepartmentCode.Normalize(DepartmentCode)}.";
            return RedirectToPage();
        }
        Teams = await MyTeamsAsync(db);
        return Page();
    }
}
