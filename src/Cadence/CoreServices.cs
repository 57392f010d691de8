using Cadence.Authentication;
using Cadence.Contacts;
using Cadence.Credentials;
using Cadence.Data;
using Cadence.Email;
using Cadence.Events;
using Cadence.Messages;
using Cadence.Teams;
using Cadence.Users;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cadence;

public static class CoreServices
{
    /// <summary>
    /// What both the server and the CLI commands need: storage, hashing and the shared actions, each feature's as
    /// that feature registers them. Each feature's options bind their own keys of the "Cadence" section.
    /// </summary>
    public static IServiceCollection AddCadenceCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddCadenceData(configuration);
        services.AddCredentials(configuration);
        services.AddCredentialCache();
        services.AddEvents();
        services.AddTeams();
        services.AddUsers();
        services.AddContacts();
        services.AddMessaging(configuration);
        services.AddEmailOutbox(configuration);
        return services;
    }
}
