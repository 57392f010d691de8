namespace Cadence.Contacts;

public static class ContactServices
{
    /// <summary>Custom fields, the import (its gate and spool) and the team statistics the import keeps.</summary>
    public static IServiceCollection AddContacts(this IServiceCollection services)
    {
        services.AddScoped<CustomFieldService>();
        services.AddScoped<ContactImporter>();
        services.AddSingleton<ContactStatistics>();
        services.AddHostedService(sp => sp.GetRequiredService<ContactStatistics>());
        services.AddSingleton<ImportGate>();
        services.AddSingleton<ImportSpool>();
        return services;
    }
}
