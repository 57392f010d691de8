using Cadence.Credentials;
using Microsoft.AspNetCore.Authentication;

namespace Cadence.Authentication;

public static class ApiKeyExtensions
{
    /// <summary>The node's verified credentials, which Credentials' changes evict through <see cref="ICredentialCache"/> (the shell's too).</summary>
    public static IServiceCollection AddCredentialCache(this IServiceCollection services) =>
        services.AddSingleton<CredentialCache>().AddSingleton<ICredentialCache>(sp => sp.GetRequiredService<CredentialCache>());

    /// <summary>The API credential scheme, its caches and background work, and the scope policies.</summary>
    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiKeyLimits>().Bind(configuration.GetSection("Cadence"));
        // The default scheme: API requests need no per-policy scheme, which would authenticate a second time.
        services.AddAuthentication(ApiKeyDefaults.AuthenticationScheme)
            .AddScheme<ApiKeyOptions, ApiKeyHandler>(ApiKeyDefaults.AuthenticationScheme, _ => { });
        DecorateAuthenticationService(services);
        services.AddSingleton<CredentialVerifier>();
        services.AddSingleton<FailureThrottle>();
        services.AddSingleton<LastUsedTracker>();
        // Registered so that each request's handler comes from the container's compiled factory, not reflection.
        services.AddTransient<ApiKeyHandler>();
        services.AddHostedService<LastUsedFlusher>();
        services.AddHostedService<CredentialWatcher>();
        return services;
    }

    /// <summary>Wraps the framework's IAuthenticationService (whatever type it registered) in <see cref="ApiKeyAuthenticationService"/>.</summary>
    static void DecorateAuthenticationService(IServiceCollection services)
    {
        var framework = services.Last(d => d.ServiceType == typeof(IAuthenticationService));
        services.Remove(framework);
        var create = ActivatorUtilities.CreateFactory(
            framework.ImplementationType ?? throw new InvalidOperationException("The authentication service is not registered by type."), Type.EmptyTypes);
        services.Add(ServiceDescriptor.Describe(typeof(IAuthenticationService),
            provider => new ApiKeyAuthenticationService(provider, create,
                provider.GetRequiredService<IAuthenticationHandlerProvider>()),
            framework.Lifetime));
    }

    /// <summary>A group of client API endpoints: all of them require a verified credential.</summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder routes, string prefix, string tag) =>
        routes.MapGroup(prefix)
            .WithMetadata(ApiEndpointMetadata.Instance)
            .WithTags(tag);

    /// <summary>
    /// Authentication, the per-credential rate limit, the client API's authorization, then ASP.NET Core's
    /// authorization (the console's policies).
    /// </summary>
    public static IApplicationBuilder UseApiKeyAuthentication(this IApplicationBuilder app) =>
        app.UseAuthentication().UseMiddleware<CredentialRateLimit>().UseMiddleware<ApiAuthorization>().UseAuthorization();
}
