using Cadence.Data;
using Cadence.Teams;
using Cadence.Users;
using Microsoft.AspNetCore.Mvc;

namespace Cadence.Console.Pages.Users;

/// <summary>
/// Console users. Owners see and manage everyone. Anyone else sees the people of their own teams; a team
/// admin adds people to, changes roles in and disables people of the teams they administer (never owners).
/// </summary>
public sealed class IndexModel(CadenceDb db, UserService users) : ConsolePage
{
    public List<User> Users { get; set; } = [];
    public Dictionary<Guid, Team> TeamsById { get; set; } = [];
    public List<Team> AdministeredTeams { get; set; } = [];

    [BindProperty] public string Email { get; set; } = "";
    [BindProperty] public string Name { get; set; } = "";
    [BindProperty] public string StaffId { get; set; } = "";
    [BindProperty] public UserRole Role { get; set; } = UserRole.User;
    [BindProperty] public string? TeamCode { get; set; }
    [BindProperty] public string Password { get; set; } = "";
    /// <summary>"Admin", "User" or "None" (take the team away).</summary>
    [BindProperty] public string NewRole { get; set; } = "User";

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAddAsync()
    {
        await LoadAsync();
        var team = AdministeredTeams.FirstOrDefault(t => t.DepartmentCode == TeamCode?.Trim().ToUpperInvariant());
        if (!Enum.IsDefined(Role) || (!Me.IsOwner && (Role == UserRole.Owner || team is null)))
        {
            return Refuse("A team admin adds admins and users to the teams they administer.");
        }
        return await DoneAsync(() => users.AddAsync(Me.OrganizationId, Email, StaffId, Role, Role == UserRole.Owner ? null : TeamCode, Password, Actor,
            HttpContext.RequestAborted, Name), $"Added {Email.Trim().ToLowerInvariant()}.");
    }

    public async Task<IActionResult> OnPostRoleAsync()
    {
        await LoadAsync();
        var target = Users.FirstOrDefault(u => u.Email == Email);
        var team = AdministeredTeams.FirstOrDefault(t => t.DepartmentCode == TeamCode);
        if (target is null || team is null || target.IsOwner || NewRole is not ("Admin" or "User" or "None"))
        {
            return Refuse("You may change roles only in teams you administer, and not an owner's.");
        }
        return await DoneAsync(() => users.SetTeamRoleAsync(Me.OrganizationId, Email, team.DepartmentCode, NewRole == "None" ? null : Enum.Parse<TeamRole>(NewRole), Actor,
            HttpContext.RequestAborted), $"Changed {Email}'s role in {team.DepartmentCode}.");
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        await LoadAsync();
        var target = Users.FirstOrDefault(u => u.Email == Email);
        if (target is null || !MayDisable(target))
        {
            return Refuse(target?.Id == Me.Id ? "You cannot disable yourself." : "You may not disable this user.");
        }
        return await DoneAsync(() => users.DisableAsync(Me.OrganizationId, Email, Actor, HttpContext.RequestAborted),
            $"Disabled {Email}; their sessions ended.");
    }

    public bool MayDisable(User user) =>
        user.Id != Me.Id && user.DisabledAt is null
        && (Me.IsOwner || (!user.IsOwner && user.Memberships.Count > 0 && user.Memberships.All(m => Me.Administers(m.TeamId))));

    public IEnumerable<string> RolesOf(User user) => user.IsOwner
        ? ["Owner"]
        : user.Memberships.Select(m => $"{m.Role} in {TeamsById[m.TeamId].DepartmentCode}").Order();

    async Task LoadAsync()
    {
        var myTeams = await MyTeamsAsync(db);
        TeamsById = (await MyTeamsAsync(db)).ToDictionary(t => t.Id);
        AdministeredTeams = myTeams.Where(t => Me.Administers(t.Id)).ToList();
        var all = await users.ListAsync(Me.OrganizationId, HttpContext.RequestAborted);
        Users = Me.IsOwner ? all : all.Where(u => u.Id == Me.Id || u.Memberships.Any(m => Me.MayUseTeam(m.TeamId))).ToList();
        foreach (var user in Users.Where(u => !Me.IsOwner))
        {
            // Others' memberships in teams this user does not see stay out of the page.
            user.Memberships.RemoveAll(m => !TeamsById.ContainsKey(m.TeamId));
        }
    }

    async Task<IActionResult> DoneAsync(Func<Task> action, string notice)
    {
        if (await TryAsync(action))
        {
            Notice = notice;
            return RedirectToPage();
        }
        await LoadAsync();
        return Page();
    }

    IActionResult Refuse(string message)
    {
        Error = message;
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }
}
