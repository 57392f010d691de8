using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cadence;

/// <summary>
/// Tells a database that cannot be reached at the moment (a stopped or restarting PostgreSQL, a lost
/// connection, SQLite's lock still held when the busy timeout ran out) from every other failure: the first is
/// a 503 to be retried and a reason for background work to wait, the second stays a bug.
/// </summary>
public static class DatabaseOutage
{
    /// <summary>How long a client is told to wait (Retry-After) before trying again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>True when the exception, or one it wraps (EF's DbUpdateException, the execution strategy's exceptions), is an outage.</summary>
    public static bool Is(Exception? exception)
    {
        // EF wraps the driver's exception once or twice; a long chain is not an outage.
        for (var depth = 0; exception is not null && depth < 8; depth++, exception = exception.InnerException)
        {
            if (IsItself(exception))
            {
                return true;
            }
        }
        return false;
    }

    static bool IsItself(Exception exception) => exception switch
    {
        // Admin shutdown, crash shutdown, cannot connect now (a restart), the connection classes, too many connections.
        PostgresException e => e.SqlState is "57P01" or "57P02" or "57P03" or "53300" || e.SqlState.StartsWith("08", StringComparison.Ordinal),
        // Refused or broken sockets, timeouts opening a connection: Npgsql marks them transient.
        NpgsqlException e => e.IsTransient,
        // SQLITE_BUSY and SQLITE_LOCKED: another connection held the lock past the busy timeout.
        SqliteException e => e.SqliteErrorCode is 5 or 6,
        _ => false,
    };
}
