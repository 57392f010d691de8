using Cadence.Contacts;
using Cadence.Credentials;
using Cadence.Email;
using Cadence.Messages;
using Cadence.Data;
using Cadence.Teams;
using Cadence.Users;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cadence;

public static class CoreServices
{
    /// <summary>What both the server and the CLI commands need: storage, hashing and the shared actions.</summary>
    public static IServiceCollection AddCadenceCore(this IServiceCollection services, CadenceSettings settings)
    {
        services.AddSingleton(settings);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => SecretHasher.FromSettings(settings));
        services.AddSingleton<Authentication.CredentialCache>();
        services.AddSingleton<ICredentialCache>(sp => sp.GetRequiredService<Authentication.CredentialCache>());
        services.AddSingleton<CredentialChanges>();
        services.AddCadenceData(settings);
        services.AddScoped<TeamService>();
        services.AddScoped<UserService>();
        services.AddScoped<CredentialService>();
        services.AddScoped<LeakedSecrets>();
        services.AddScoped<CustomFieldService>();
        services.AddScoped<ContactImporter>();
        services.AddSingleton<ImportGate>();
        services.AddSingleton<ImportSpool>();
        services.AddScoped<MessageSender>();
        services.AddScoped<InboundMessages>();
        services.AddEmailOutbox();
        services.AddSingleton<Inbox.ConversationSignals>();
        return services;
    }
}
