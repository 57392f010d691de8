using Microsoft.Extensions.Options;

namespace Cadence.Webhooks;

public static class WebhookExtensions
{
    /// <summary>What the CLI needs (managing endpoints) without the worker.</summary>
    public static IServiceCollection AddWebhookManagement(this IServiceCollection services, IConfiguration configuration)
    {
        // Bound as options and checked as the server starts; its consumers take the one validated instance.
        services.AddOptions<WebhookSettings>().Bind(configuration.GetSection("Cadence:Webhooks"))
            .Validate(s => { s.Validate(); return true; }).ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<WebhookSettings>>().Value);
        services.AddSingleton<WebhookSecrets>();
        services.AddScoped<WebhookService>();
        return services;
    }

    /// <summary>The server's part: management, the guarded HTTP client and the delivery worker.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddWebhookManagement(configuration);
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookWorker>());
        return services;
    }
}
