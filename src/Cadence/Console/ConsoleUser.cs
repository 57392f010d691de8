using System.Collections.Frozen;
using Cadence.Audit;
using Cadence.Users;

namespace Cadence.Console;

/// <summary>The signed-in person behind a console request, read fresh from the database on every request.</summary>
public sealed record ConsoleUser(
    Guid Id, Guid SessionId, Guid OrganizationId, string Email, string Name, string StaffId, bool IsOwner, FrozenDictionary<Guid, TeamRole> Teams)
{
    /// <summary>Owners, and admins of at least one team, manage credentials and read the audit log.</summary>
    public bool IsAdmin => IsOwner || Teams.Values.Contains(TeamRole.Admin);

    public bool MayUseTeam(Guid teamId) => IsOwner || Teams.ContainsKey(teamId);

    public bool Administers(Guid teamId) => IsOwner || (Teams.TryGetValue(teamId, out var role) && role == TeamRole.Admin);

    public string DisplayName => Name.Length > 0 ? Name : Email;

    public Actor Actor(HttpContext context) => new($"user:{Email}", context.Connection.RemoteIpAddress?.ToString());
}

public static class ConsoleUserExtensions
{
    public static ConsoleUser ConsoleUser(this HttpContext context) =>
        context.Features.Get<ConsoleUser>() ?? throw new InvalidOperationException("The page does not require a console sign-in.");
}
