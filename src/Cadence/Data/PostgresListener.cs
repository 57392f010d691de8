using Npgsql;

namespace Cadence.Data;

/// <summary>
/// Listens on one PostgreSQL NOTIFY channel for as long as the node runs: its own connection, LISTEN, each payload
/// handed to <c>heard</c>; after a dropped connection or an outage a new connection, with <see cref="OutageBackoff"/>.
/// Notifications sent while not listening are lost, so <c>listening</c> runs each time the LISTEN is in place
/// (the first time too), and the caller treats it as "anything may have changed".
/// </summary>
public static class PostgresListener
{
    public static async Task ListenAsync(string? connectionString, string channel, Action<string> heard, Action listening,
        ILogger logger, string work, CancellationToken stoppingToken)
    {
        var backoff = new OutageBackoff(logger, work);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                connection.Notification += (_, e) => heard(e.Payload);
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                listening();
                backoff.Succeeded();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                await OutageBackoff.WaitAsync(backoff.Failed(e), stoppingToken);
            }
        }
    }
}
