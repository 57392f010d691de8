namespace Cadence.Messages;

public static class DeliveryExtensions
{
    /// <summary>The SMS provider the settings name and the worker that delivers the outbox through it.</summary>
    public static IServiceCollection AddSmsDelivery(this IServiceCollection services, CadenceSettings settings)
    {
        if (!settings.SmsProvider.Equals("simulator", StringComparison.OrdinalIgnoreCase))
        {
            throw new CadenceException($"SMS provider '{settings.SmsProvider}' is not available yet; use \"simulator\".");
        }
        services.AddSingleton<ISmsProvider, SimulatorProvider>();
        services.AddHostedService<OutboxWorker>();
        return services;
    }
}
