using System.Collections.Frozen;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace Cadence.Authentication;

/// <summary>The verified credential behind an API request. Endpoints scope every query with it.</summary>
public sealed record ApiCaller(
    Guid CredentialId, Guid OrganizationId, string Key, string Name, FrozenSet<string> Scopes,
    FrozenSet<Guid>? TeamIds, FrozenSet<string>? TeamCodes, int RateLimit, DateTime? ExpiresAt)
{
    public const string ScopeClaim = "scope";

    /// <summary>
    /// The scheme's answer for this caller, made once: all its requests share it, principal and properties
    /// alike, so nothing may change them (add no claim, write no property item).
    /// </summary>
    internal AuthenticateResult Authenticated { get; } = AuthenticateResult.Success(new AuthenticationTicket(
        new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, Key),
                new Claim(ClaimTypes.Name, Name),
                .. Scopes.Select(scope => new Claim(ScopeClaim, scope)),
            ],
            ApiKeyDefaults.AuthenticationScheme)),
        ApiKeyDefaults.AuthenticationScheme));

    /// <summary>The rate limit as the RateLimit-Limit header states it, formatted once.</summary>
    internal string RateLimitText { get; } = RateLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public bool AllTeams => TeamIds is null;

    /// <summary>The caller as a handler parameter of a client API endpoint (in a MapApiGroup group, which refuses a call without one).</summary>
    public static ValueTask<ApiCaller?> BindAsync(HttpContext http) => ValueTask.FromResult<ApiCaller?>(http.ApiCaller());

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
