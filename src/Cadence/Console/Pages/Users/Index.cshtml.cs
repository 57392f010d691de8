using Cadence.Console.Sso;
using Cadence.Data;
using Cadence.Teams;
using Cadence.Users;
using Microsoft.AspNetCore.Mvc;

namespace Cadence.Console.Pages.Users;

/// <summary>
/// Console users: owners manage everyone, team admins the people of their teams, and a plain user sees only
/// their own row, read-only (see UserAccess). Every change goes through UserService, as the CLI's does.
/// </summary>
public sealed class IndexModel(CadenceDb db, UserService users, SsoSettings sso) : ConsolePage
{
    public static readonly string[] RoleChoices = ["Admin", "User", "None"];

    public List<User> Users { get; set; } = [];
    public UserAccess Access { get; set; } = null!;
    public SsoSettings Sso => sso;

    [BindProperty] public string Name { get; set; } = "";
    [BindProperty] public string Email { get; set; } = "";
    [BindProperty] public string StaffId { get; set; } = "";
    [BindProperty] public UserRole Role { get; set; } = UserRole.User;
    [BindProperty] public string? Team { get; set; }
    [BindProperty] public string Password { get; set; } = "";

    /// <summary>The row a role change or disable is for, and the new role ("None" takes the team away).</summary>
    [BindProperty] public string Target { get; set; } = "";
    [BindProperty] public string NewRole { get; set; } = "User";

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAddAsync()
    {
        await LoadAsync();
        var team = Role == UserRole.Owner ? null : Team;
        if (Access.WhyNotAdd(Role, team) is { } refusal)
        {
            Error = refusal;
        }
        else if (await TryAsync(() => users.AddAsync(Me.OrganizationId, Email, StaffId, Role, team, Password, Actor, HttpContext.RequestAborted, Name)))
        {
            Notice = $"Added {Email.Trim().ToLowerInvariant()}. They can sign in now.";
            return RedirectToPage();
        }
        Password = "";
        return Page();
    }

    public async Task<IActionResult> OnPostRoleAsync()
    {
        await LoadAsync();
        var user = FindVisible(Target);
        var team = Access.MyTeams.FirstOrDefault(t => t.DepartmentCode == DepartmentCode.Normalize(Team));
        TeamRole? role = NewRole switch { "Admin" => TeamRole.Admin, "User" => TeamRole.User, _ => null };
        if (user is null || team is null)
        {
            Error = "There is no such user or team that you manage.";
        }
        else if (Access.WhyNotSetRole(user, team) is { } refusal)
        {
            Error = refusal;
        }
        else if (await TryAsync(() => users.SetTeamRoleAsync(Me.OrganizationId, user.Email, team.DepartmentCode, role, Actor, HttpContext.RequestAborted)))
        {
            Notice = role is null ? $"Removed {user.Email} from {team.DepartmentCode}." : $"{user.Email} is now {role} in {team.DepartmentCode}.";
            return RedirectToPage();
        }
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        await LoadAsync();
        var user = FindVisible(Target);
        if (user is null)
        {
            Error = "There is no such user that you manage.";
        }
        else if (Access.WhyNotDisable(user) is { } refusal)
        {
            Error = refusal;
        }
        else if (await TryAsync(() => users.DisableAsync(Me.OrganizationId, user.Email, Actor, HttpContext.RequestAborted)))
        {
            Notice = $"Disabled {user.Email}. Their sessions have ended and they cannot sign in.";
            return RedirectToPage();
        }
        return Page();
    }

    /// <summary>Owners only: a link decides who an identity at the provider signs in as, across every team.</summary>
    public async Task<IActionResult> OnPostUnlinkAsync()
    {
        await LoadAsync();
        var user = FindVisible(Target);
        if (!Me.IsOwner)
        {
            Error = "Only an owner may unlink a user from single sign-on.";
        }
        else if (user is null)
        {
            Error = "There is no such user.";
        }
        else if (await TryAsync(() => users.UnlinkSsoAsync(Me.OrganizationId, user.Email, Actor, HttpContext.RequestAborted)))
        {
            Notice = $"Unlinked {user.Email}. Their next single sign-on is matched by their email again.";
            return RedirectToPage();
        }
        return Page();
    }

    User? FindVisible(string email) =>
        Users.FirstOrDefault(u => string.Equals(u.Email, email.Trim(), StringComparison.OrdinalIgnoreCase));

    async Task LoadAsync()
    {
        Access = new UserAccess(Me, await MyTeamsAsync(db));
        Users = (await users.ListAsync(Me.OrganizationId, HttpContext.RequestAborted)).Where(Access.MaySee).ToList();
    }
}
