using Cadence.Data;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Email;

public static class EmailExtensions
{
    /// <summary>The triggers that queue emails with the changes they report; wherever the database is used (server and CLI).</summary>
    public static IServiceCollection AddEmailOutbox(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SmtpSettings>().Bind(configuration.GetSection("Cadence:Smtp"));
        services.AddSingleton<EmailTriggers>();
        services.ConfigureDbContext<SqliteCadenceDb>((sp, o) => o.AddInterceptors(sp.GetRequiredService<EmailTriggers>()));
        services.ConfigureDbContext<PostgresCadenceDb>((sp, o) => o.AddInterceptors(sp.GetRequiredService<EmailTriggers>()));
        return services;
    }

    /// <summary>The server's sender; the settings are checked here so that a bad value stops the start with its reason.</summary>
    public static IServiceCollection AddEmailDelivery(this IServiceCollection services)
    {
        // SmtpSettings.Validate throws a CadenceException naming the key, which the start reports as it is.
        services.AddOptions<SmtpSettings>().Validate(s => { s.Validate(); return true; }).ValidateOnStart();
        services.AddSingleton<EmailSender>();
        services.AddHostedService(sp => sp.GetRequiredService<EmailSender>());
        return services;
    }
}
