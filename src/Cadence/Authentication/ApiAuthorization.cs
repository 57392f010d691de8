using Microsoft.AspNetCore.Authentication;

namespace Cadence.Authentication;

/// <summary>Marks an endpoint of the client API: it needs a verified credential.</summary>
public sealed class ApiEndpointMetadata
{
    public static readonly ApiEndpointMetadata Instance = new();
}

/// <summary>
/// How a client API endpoint outside the team front door keeps to the caller's teams (or why it reaches no team's
/// data). Every client API endpoint is behind the front door, takes a TeamBody, or declares this; a test refuses one
/// that does none, so a new endpoint cannot forget the question.
/// </summary>
public sealed record TeamScopeMetadata(string How);

public static class TeamScopeExtensions
{
    /// <summary>The handler limits its rows to the caller's teams itself (in its query, or a row's team checked with MayUseTeam).</summary>
    public static TBuilder FiltersCallerTeams<TBuilder>(this TBuilder builder, string how) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new TeamScopeMetadata(how));

    /// <summary>The endpoint reads or changes no team's data.</summary>
    public static TBuilder TouchesNoTeam<TBuilder>(this TBuilder builder, string why) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new TeamScopeMetadata("no team: " + why));
}

/// <summary>A scope the credential must hold to use the endpoint.</summary>
public sealed record RequiredScopeMetadata(string Scope);

/// <summary>
/// Authorization for the client API: a verified credential, and the scopes the endpoint names. One small
/// middleware instead of the policy system, because it runs on every API request and the policy machinery
/// (policy evaluation, handler contexts, a result handler) cost more than the credential check itself.
/// The console's pages keep ASP.NET Core policies (ConsoleDefaults).
/// </summary>
internal sealed class ApiAuthorization(RequestDelegate next, IProblemDetailsService problemDetails)
{
    public Task InvokeAsync(HttpContext http)
    {
        var metadata = http.GetEndpoint()?.Metadata;
        if (metadata?.GetMetadata<ApiEndpointMetadata>() is null)
        {
            return next(http);
        }
        if (http.Features.Get<ApiCaller>() is not { } caller)
        {
            // The scheme's challenge: 401 with WWW-Authenticate and the reason (revoked, expired, throttled…).
            return http.ChallengeAsync(ApiKeyDefaults.AuthenticationScheme);
        }
        foreach (var required in metadata.GetOrderedMetadata<RequiredScopeMetadata>())
        {
            if (!caller.Scopes.Contains(required.Scope))
            {
                return Problems.WriteAsync(problemDetails, http, StatusCodes.Status403Forbidden, "Forbidden",
                    $"This credential does not have the scope '{required.Scope}'.", "scope_missing").AsTask();
            }
        }
        return next(http);
    }
}

public static class ApiAuthorizationExtensions
{
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredScopeMetadata(scope));
}
