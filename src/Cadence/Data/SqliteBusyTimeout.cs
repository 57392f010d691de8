using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Cadence.Data;

/// <summary>
/// Lets SQLite itself wait for a lock held by another connection (its busy handler sleeps a millisecond at a
/// time), instead of the driver's retry loop, which sleeps 150 ms between tries and turned every brush
/// between the outbox worker and a request into a long stall.
/// </summary>
public sealed class SqliteBusyTimeout(TimeSpan timeout) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {(long)timeout.TotalMilliseconds};";
        command.ExecuteNonQuery();
    }
}
