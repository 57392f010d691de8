using Cadence.Credentials;
using Microsoft.AspNetCore.Authorization;

namespace Cadence.Authentication;

public static class ApiKeyExtensions
{
    /// <summary>The API credential scheme, its caches and background work, and the scope policies.</summary>
    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<ApiKeyOptions, ApiKeyHandler>(ApiKeyDefaults.AuthenticationScheme, _ => { });
        services.AddSingleton<CredentialVerifier>();
        services.AddSingleton<FailureThrottle>();
        services.AddSingleton<LastUsedTracker>();
        services.AddSingleton<CredentialRateLimit>();
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

    /// <summary>A group of client API endpoints: a verified credential and its rate limit apply to all of them.</summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder routes, string prefix, string tag) =>
        routes.MapGroup(prefix)
            .RequireAuthorization(ApiKeyDefaults.Policy)
            // One shared limiter: AddEndpointFilter<T> would make a new filter, with empty buckets, per request.
            .AddEndpointFilter((context, next) =>
                context.HttpContext.RequestServices.GetRequiredService<CredentialRateLimit>().InvokeAsync(context, next))
            .WithTags(tag);

    static AuthorizationPolicyBuilder ApiPolicy() =>
        new AuthorizationPolicyBuilder(ApiKeyDefaults.AuthenticationScheme).RequireAuthenticatedUser();
}
