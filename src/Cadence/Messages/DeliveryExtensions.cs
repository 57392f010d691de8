using OpenTelemetry.Metrics;

namespace Cadence.Messages;

public static class DeliveryExtensions
{
    /// <summary>The SMS provider the settings name and the worker that delivers the outbox through it.</summary>
    public static IServiceCollection AddSmsDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        // Read here: it decides what is registered.
        var provider = configuration.GetValue("Cadence:SmsProvider", new MessagesOptions().SmsProvider)!;
        var twilio = configuration.GetSection("Cadence:Twilio").Get<TwilioSettings>() ?? new TwilioSettings();
        services.AddSingleton(twilio);
        switch (provider.ToLowerInvariant())
        {
            case "simulator":
                services.AddSingleton<ISmsProvider, SimulatorProvider>();
                break;
            case "twilio":
                twilio.Validate();
                services.AddHttpClient<ISmsProvider, TwilioProvider>(client => client.Timeout = TimeSpan.FromSeconds(30));
                break;
            default:
                throw new CadenceException($"Cadence:SmsProvider is \"simulator\" or \"twilio\", not \"{provider}\".");
        }
        services.AddSingleton<SendThrottle>();
        // The worker's provider counts each outcome for the metrics (cadence.texts); everyone else sees the provider itself.
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<OutboxWorker>(sp, new CountingSmsProvider(sp.GetRequiredService<ISmsProvider>())));
        // The outbox's gauges, made when the meter provider is (with metrics off there is none, and no gauge reads the queue).
        services.AddSingleton<OutboxGauges>();
        services.ConfigureOpenTelemetryMeterProvider((sp, _) => sp.GetRequiredService<OutboxGauges>());
        return services;
    }
}
