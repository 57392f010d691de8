using Cadence.Contacts;
using OpenTelemetry.Metrics;

namespace Cadence.Messages;

public static class DeliveryExtensions
{
    /// <summary>
    /// What sending and receiving texts needs on every node and in the shell (the delivery worker and the providers
    /// are the server's: <see cref="AddSmsDelivery"/>).
    /// </summary>
    public static IServiceCollection AddMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MessagesOptions>().Bind(configuration.GetSection("Cadence"));
        services.AddScoped<MessageSender>();
        services.AddScoped<InboundMessages>();
        services.AddSingleton<ConversationSignals>();
        // Contacts tells Messages of its changes through this (a deleted contact's queued texts, an import's opt-outs).
        services.AddSingleton<IContactChanges, ContactTexts>();
        return services;
    }

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
