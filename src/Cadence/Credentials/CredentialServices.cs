using Cadence.Data;
using Microsoft.Extensions.Options;

namespace Cadence.Credentials;

public static class CredentialServices
{
    /// <summary>
    /// The credential itself, for the server and the shell alike: its options, the pepper's hasher (the database's
    /// start-up checks the pepper through <see cref="IPepperCheck"/>), create/roll/revoke and the leak response.
    /// </summary>
    public static IServiceCollection AddCredentials(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CredentialOptions>().Configure(o => o.Read(configuration));
        services.AddSingleton(sp => SecretHasher.From(
            sp.GetRequiredService<IOptions<CredentialOptions>>().Value.Pepper, sp.GetRequiredService<IOptions<DataOptions>>().Value.DataDirectory));
        services.AddSingleton<IPepperCheck>(sp => sp.GetRequiredService<SecretHasher>());
        services.AddSingleton<CredentialChanges>();
        services.AddScoped<CredentialService>();
        services.AddScoped<LeakedSecrets>();
        return services;
    }
}
