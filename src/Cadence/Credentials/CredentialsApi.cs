using Cadence.Authentication;

namespace Cadence.Credentials;

/// <summary>What a credential may learn about itself. Never the secret.</summary>
public sealed record CredentialSelfResponse(string Key, string Name, string[] Scopes, string[] Teams, DateTime? ExpiresAt, int RateLimit);

public static class CredentialsApi
{
    public static IEndpointRouteBuilder MapCredentials(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapApiGroup("/v2/credentials", "Credentials");

        group.MapGet("/self", (HttpContext http) =>
        {
            var caller = http.ApiCaller();
            return TypedResults.Ok(new CredentialSelfResponse(
                caller.Key, caller.Name, [.. Scope.All.Where(caller.Scopes.Contains)],
                caller.TeamCodes is null ? ["*"] : [.. caller.TeamCodes.Order()],
                caller.ExpiresAt, caller.RateLimit));
        }).WithSummary("The credential making the request: name, key, scopes, teams, expiry and rate limit");

        return routes;
    }
}
