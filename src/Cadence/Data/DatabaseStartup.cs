using Microsoft.Extensions.Options;

namespace Cadence.Data;

/// <summary>
/// Runs before the server takes requests: schema, organization, pepper check. `Program.RunAsync` runs it before the
/// host starts, so that a database it refuses stops the start with Cadence's own message only; as a hosted service
/// it also runs for a host started another way, and does nothing the second time.
/// </summary>
public sealed class DatabaseStartup(IServiceScopeFactory scopes, IOptions<DataOptions> options, IPepperCheck pepper, TimeProvider time, ILogger<DatabaseStartup> logger)
    : IHostedService, IDisposable
{
    readonly DataOptions settings = options.Value;
    ServerLock? serverLock;
    // Called one after the other (Program, then the host), never at once: no lock.
    Task? prepared;

    /// <summary>Prepares the database once; a later call returns the first call's task.</summary>
    public Task PrepareAsync(CancellationToken cancellationToken) => prepared ??= PrepareOnceAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => PrepareAsync(cancellationToken);

    async Task PrepareOnceAsync(CancellationToken cancellationToken)
    {
        if (!settings.UsesPostgres)
        {
            // Tells `cadence restore` that this data directory is in use. A second server on the same directory
            // still runs (SQLite allows it); it only cannot hold the lock.
            serverLock = ServerLock.TryTake(settings.DataDirectory);
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CadenceDb>();
        var organization = await DatabaseSetup.PrepareAsync(db, settings, pepper, time, cancellationToken);
        logger.LogInformation("Serving {Organization} from {Storage}", organization.Name,
            settings.UsesPostgres ? "PostgreSQL" : $"SQLite at {settings.SqlitePath}");
        if (!settings.UsesPostgres && DataDirectory.TooOpen(Path.GetFullPath(settings.DataDirectory), settings.SqlitePath) is { Count: > 0 } open)
        {
            var directory = settings.DataDirectory;
            logger.LogWarning("{Paths} can be read by other users of this machine; they hold password hashes, sessions and student data. Run: {Fix}",
                string.Join(", ", open), $"chmod 700 {directory} && chmod 600 {directory}/cadence.db* {directory}/pepper.key");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => serverLock?.Dispose();
}
