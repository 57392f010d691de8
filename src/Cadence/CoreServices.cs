using Cadence.Contacts;
using Cadence.Credentials;
using Cadence.Data;
using Cadence.Email;
using Cadence.Messages;
using Cadence.Teams;
using Cadence.Users;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Cadence;

public static class CoreServices
{
    /// <summary>
    /// What both the server and the CLI commands need: storage, hashing and the shared actions. Each feature's options
    /// bind their own keys of the "Cadence" section (docs/ARCHITECTURE.md lists which class holds which).
    /// </summary>
    public static IServiceCollection AddCadenceCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddCadenceData(configuration);
        services.AddOptions<CredentialOptions>().Configure(o => o.Read(configuration));
        services.AddSingleton(sp => SecretHasher.From(
            sp.GetRequiredService<IOptions<CredentialOptions>>().Value.Pepper, sp.GetRequiredService<IOptions<DataOptions>>().Value.DataDirectory));
        services.AddSingleton<IPepperCheck>(sp => sp.GetRequiredService<SecretHasher>()); // the database's start-up checks it
        services.AddSingleton<Authentication.CredentialCache>();
        services.AddSingleton<ICredentialCache>(sp => sp.GetRequiredService<Authentication.CredentialCache>());
        services.AddSingleton<CredentialChanges>();
        services.AddScoped<TeamService>();
        services.AddSingleton<KnownTeams>();
        services.AddScoped<UserService>();
        services.AddScoped<CredentialService>();
        // Credentials tells Events of a revocation through this (the credential.revoked event, in its unit of work).
        services.AddSingleton<ICredentialRevocations, Events.CredentialRevokedEvents>();
        services.AddScoped<LeakedSecrets>();
        services.AddScoped<CustomFieldService>();
        services.AddScoped<ContactImporter>();
        services.AddSingleton<ContactStatistics>();
        services.AddHostedService(sp => sp.GetRequiredService<ContactStatistics>());
        services.AddSingleton<ImportGate>();
        services.AddSingleton<ImportSpool>();
        services.AddOptions<MessagesOptions>().Bind(configuration.GetSection("Cadence"));
        services.AddScoped<MessageSender>();
        services.AddScoped<InboundMessages>();
        services.AddEmailOutbox(configuration);
        services.AddSingleton<ConversationSignals>();
        // Contacts tells Messages of its changes through this (a deleted contact's queued texts, an import's opt-outs).
        services.AddSingleton<IContactChanges, ContactTexts>();
        return services;
    }
}
