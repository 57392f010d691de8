using System.Security.Claims;
using System.Collections.Frozen;

namespace Cadence.Authentication;

/// <summary>The verified credential behind an API request. Endpoints scope every query with it.</summary>
public sealed record ApiCaller(
    Guid CredentialId, Guid OrganizationId, string Key, string Name, FrozenSet<string> Scopes,
    FrozenSet<Guid>? TeamIds, FrozenSet<string>? TeamCodes, int RateLimit, DateTime? ExpiresAt)
{
    /// <summary>The user of an authenticated request; built once per credential, never modified.</summary>
    public ClaimsPrincipal Principal { get; } = new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, Key),
            new Claim(ClaimTypes.Name, Name),
            .. Scopes.Select(scope => new Claim(ScopeClaim, scope)),
        ],
        ApiKeyDefaults.AuthenticationScheme));

    public const string ScopeClaim = "scope";

    public bool AllTeams => TeamIds is null;

    public bool MayUseTeam(string departmentCode) => TeamCodes is null || TeamCodes.Contains(departmentCode);

    public bool MayUseTeam(Guid teamId) => TeamIds is null || TeamIds.Contains(teamId);
}

public static class ApiCallerExtensions
{
    /// <summary>The caller of a client API endpoint (one in a group from MapApiGroup).</summary>
    public static ApiCaller ApiCaller(this HttpContext context) =>
        context.Features.Get<ApiCaller>() ?? throw new InvalidOperationException("The endpoint does not require an API credential.");

    /// <summary>The credential as the audit log names it, with the client's address.</summary>
    public static Audit.Actor ApiActor(this HttpContext context) =>
        new($"credential:{context.ApiCaller().Key}", context.Connection.RemoteIpAddress?.ToString());
}
