using Cadence.Credentials;
using Microsoft.AspNetCore.Authorization;

namespace Cadence.Authentication;

public static class ApiKeyExtensions
{
    /// <summary>The API credential scheme, its caches and background work, and the scope policies.</summary>
    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services)
    {
        // The default scheme: API requests need no per-policy scheme, which would authenticate a second time.
        services.AddAuthentication(ApiKeyDefaults.AuthenticationScheme)
            .AddScheme<ApiKeyOptions, ApiKeyHandler>(ApiKeyDefaults.AuthenticationScheme, _ => { });
        services.AddSingleton<CredentialVerifier>();
        services.AddSingleton<FailureThrottle>();
        services.AddSingleton<LastUsedTracker>();
        // Registered so that each request's handler comes from the container's compiled factory, not reflection.
        services.AddTransient<ApiKeyHandler>();
        services.AddHostedService<LastUsedFlusher>();
        services.AddHostedService<CredentialWatcher>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ApiAuthorizationResultHandler>();

        services.AddAuthorizationBuilder().AddPolicy(ApiKeyDefaults.Policy, ApiPolicy().Build());
        foreach (var scope in Scope.All)
        {
            services.AddAuthorizationBuilder().AddPolicy(ApiAuthorizationExtensions.PolicyFor(scope),
                ApiPolicy().AddRequirements(new ScopeRequirement(scope)).Build());
        }
        return services;
    }

    /// <summary>A group of client API endpoints: all of them require a verified credential.</summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder routes, string prefix, string tag) =>
        routes.MapGroup(prefix)
            .RequireAuthorization(ApiKeyDefaults.Policy)
            .WithTags(tag);

    static AuthorizationPolicyBuilder ApiPolicy() => new AuthorizationPolicyBuilder().RequireAuthenticatedUser();

    /// <summary>Authentication, the per-credential rate limit, then authorization.</summary>
    public static IApplicationBuilder UseApiKeyAuthentication(this IApplicationBuilder app) =>
        app.UseAuthentication().UseMiddleware<CredentialRateLimit>().UseAuthorization();
}
