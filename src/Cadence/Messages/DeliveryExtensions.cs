namespace Cadence.Messages;

public static class DeliveryExtensions
{
    /// <summary>The SMS provider the settings name and the worker that delivers the outbox through it.</summary>
    public static IServiceCollection AddSmsDelivery(this IServiceCollection services, CadenceSettings settings, IConfiguration configuration)
    {
        var twilio = configuration.GetSection("Cadence:Twilio").Get<TwilioSettings>() ?? new TwilioSettings();
        services.AddSingleton(twilio);
        switch (settings.SmsProvider.ToLowerInvariant())
        {
            case "simulator":
                services.AddSingleton<ISmsProvider, SimulatorProvider>();
                break;
            case "twilio":
                twilio.Validate();
                services.AddHttpClient<ISmsProvider, TwilioProvider>(client => client.Timeout = TimeSpan.FromSeconds(30));
                break;
            default:
                throw new CadenceException($"Cadence:SmsProvider is \"simulator\" or \"twilio\", not \"{settings.SmsProvider}\".");
        }
        services.AddSingleton<SendThrottle>();
        // The worker's provider counts each outcome for the metrics (cadence.texts); everyone else sees the provider itself.
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<OutboxWorker>(sp, new Metrics.CountingSmsProvider(sp.GetRequiredService<ISmsProvider>())));
        return services;
    }
}
