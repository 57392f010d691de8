using System.Collections.Frozen;
using Cadence.Credentials;

namespace Cadence.Authentication;

/// <summary>The verified credential behind an API request. Endpoints scope every query with it.</summary>
public sealed record ApiCaller(
    Guid CredentialId, Guid OrganizationId, string Key, string Name, FrozenSet<string> Scopes,
    FrozenSet<Guid>? TeamIds, FrozenSet<string>? TeamCodes, int RateLimit, DateTime? ExpiresAt)
{
    public bool AllTeams => TeamIds is null;

    public bool MayUseTeam(string departmentCode) => TeamCodes is null || TeamCodes.Contains(departmentCode);

    public bool MayUseTeam(Guid teamId) => TeamIds is null || TeamIds.Contains(teamId);

    public static ApiCaller From(CredentialSnapshot c, int defaultRateLimit) =>
        new(c.Id, c.OrganizationId, c.Key, c.Name, c.Scopes, c.TeamIds, c.TeamCodes, c.RateLimit ?? defaultRateLimit, c.ExpiresAt);
}

public static class ApiCallerExtensions
{
    /// <summary>The caller of an endpoint that requires <see cref="ApiKeyDefaults.Policy"/>.</summary>
    public static ApiCaller ApiCaller(this HttpContext context) =>
        context.Features.Get<ApiCaller>() ?? throw new InvalidOperationException("The endpoint does not require an API credential.");
}
