using Cadence.Credentials;

namespace Cadence.Data;

/// <summary>Runs before the server takes requests: schema, organization, pepper check.</summary>
public sealed class DatabaseStartup(IServiceScopeFactory scopes, CadenceSettings settings, SecretHasher hasher, TimeProvider time, ILogger<DatabaseStartup> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CadenceDb>();
        var organization = await DatabaseSetup.PrepareAsync(db, settings, hasher, time, cancellationToken);
        logger.LogInformation("Serving {Organization} from {Storage}", organization.Name,
            settings.UsesPostgres ? "PostgreSQL" : $"SQLite at {settings.SqlitePath}");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
