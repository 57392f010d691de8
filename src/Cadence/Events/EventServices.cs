using Cadence.Credentials;

namespace Cadence.Events;

public static class EventServices
{
    /// <summary>Credentials tells Events of a revocation through this: the credential.revoked event, in its unit of work.</summary>
    public static IServiceCollection AddEvents(this IServiceCollection services) =>
        services.AddSingleton<ICredentialRevocations, CredentialRevokedEvents>();
}
