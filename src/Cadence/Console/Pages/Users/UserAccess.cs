using Cadence.Teams;
using Cadence.Users;

namespace Cadence.Console.Pages.Users;

/// <summary>
/// Who may see and change which users in the console. The CLI runs as the operator and has none of these
/// limits; both call the same UserService, which keeps the rules every caller shares (e.g. the last owner).
/// </summary>
public sealed class UserAccess(ConsoleUser me, List<Team> myTeams)
{
    public List<Team> MyTeams { get; } = myTeams;

    /// <summary>The teams whose people this user manages: every team for an owner.</summary>
    public List<Team> Administered { get; } = myTeams.Where(t => me.Administers(t.Id)).ToList();

    public bool MayManageUsers => me.IsOwner || Administered.Count > 0;

    /// <summary>
    /// Owners see everyone; a team admin sees the people of the teams they administer; a plain user sees only
    /// themselves (the staff list is not theirs to browse), read-only.
    /// </summary>
    public bool MaySee(User user) =>
        me.IsOwner || user.Id == me.Id || user.Memberships.Any(m => Administered.Any(t => t.Id == m.TeamId));

    /// <summary>
    /// An account is one person across teams, so an admin may disable it only if every team it belongs to is
    /// theirs, and never an owner's. Nobody disables themselves here: that would lock them out mid-click.
    /// </summary>
    public string? WhyNotDisable(User user)
    {
        if (user.Id == me.Id)
        {
            return "You cannot disable yourself. Ask another owner or admin.";
        }
        if (me.IsOwner)
        {
            return null;
        }
        if (user.IsOwner)
        {
            return "Only an owner may disable an owner.";
        }
        return user.Memberships.Count > 0 && user.Memberships.All(m => Administered.Any(t => t.Id == m.TeamId))
            ? null
            : "You may disable only users whose teams you all administer.";
    }

    /// <summary>A role in a team is given by that team's admins (or an owner), to anyone but oneself and, for admins, not to owners.</summary>
    public string? WhyNotSetRole(User user, Team team)
    {
        if (user.Id == me.Id)
        {
            return "You cannot change your own roles. Ask another owner or admin.";
        }
        if (!me.Administers(team.Id))
        {
            return $"You do not administer team {team.DepartmentCode}.";
        }
        return !me.IsOwner && (user.IsOwner || !MaySee(user)) ? "You may change roles only of the users of your teams." : null;
    }

    /// <summary>Owners add anyone; a team admin adds admins and users to the teams they administer.</summary>
    public string? WhyNotAdd(UserRole role, string? teamCode)
    {
        if (me.IsOwner)
        {
            return null;
        }
        if (role == UserRole.Owner)
        {
            return "Only an owner may add an owner.";
        }
        var code = DepartmentCode.Normalize(teamCode);
        return Administered.Any(t => t.DepartmentCode == code) ? null : "You may add users only to a team you administer.";
    }

    /// <summary>"Owner", "Admin in SS", "User in ADM": the roles the viewer may know about.</summary>
    public string RolesOf(User user)
    {
        var roles = user.Memberships
            .Select(m => (Team: MyTeams.FirstOrDefault(t => t.Id == m.TeamId), m.Role))
            .Where(r => r.Team is not null)
            .OrderBy(r => r.Team!.DepartmentCode)
            .Select(r => $"{r.Role} in {r.Team!.DepartmentCode}");
        return string.Join(", ", (user.IsOwner ? ["Owner"] : Array.Empty<string>()).Concat(roles)) is { Length: > 0 } text ? text : "no team";
    }
}
