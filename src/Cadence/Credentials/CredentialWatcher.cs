using Cadence.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cadence.Credentials;

/// <summary>
/// Keeps this node's CredentialCache (Authentication) true to the database when another node or the CLI changes
/// a credential: PostgreSQL LISTEN/NOTIFY delivers changes at once, and a poll of recently changed rows
/// (every <see cref="CredentialOptions.CredentialRecheckInterval"/>) is the safety net, and the only way on SQLite.
/// </summary>
public sealed class CredentialWatcher(
    ICredentialCache cache, IOptions<CredentialOptions> credentials, IOptions<DataOptions> data, IServiceScopeFactory scopes, TimeProvider time,
    ILogger<CredentialWatcher> logger)
    : BackgroundService
{
    readonly TimeSpan recheckInterval = credentials.Value.CredentialRecheckInterval;
    readonly DataOptions data = data.Value;

    // Nodes' clocks differ a little: re-check rows changed slightly before the last poll too.
    static readonly TimeSpan Overlap = TimeSpan.FromSeconds(5);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        data.UsesPostgres ? Task.WhenAll(PollAsync(stoppingToken), ListenAsync(stoppingToken)) : PollAsync(stoppingToken);

    /// <summary>
    /// A poll a <see cref="CredentialOptions.CredentialRecheckInterval"/>, through the workers' loop: the first at start
    /// (it reads the few rows changed in the last seconds), and after a failed poll the next once the outage backoff
    /// (a quarter second, doubling to five) has passed.
    /// </summary>
    Task PollAsync(CancellationToken stoppingToken)
    {
        var since = time.GetUtcNow().UtcDateTime - Overlap;
        return OutboxLoop.RunAsync(async cancellationToken =>
        {
            var started = time.GetUtcNow().UtcDateTime;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CadenceDb>();
            var changed = await db.Credentials.Where(c => c.UpdatedAt >= since).Select(c => c.Key).ToListAsync(cancellationToken);
            changed.ForEach(cache.Evict);
            // After an outage `since` is still the last good poll's, so changes made meanwhile are read now.
            since = started - Overlap;
            return false;
        }, recheckInterval, logger, "Re-checking changed credentials", stoppingToken);
    }

    // Notifications may have been missed while not listening: everything cached is read again.
    Task ListenAsync(CancellationToken stoppingToken) => PostgresListener.ListenAsync(
        data.Database, CredentialChanges.Channel, cache.Evict, cache.Clear, logger, "Listening for credential changes", stoppingToken);
}
