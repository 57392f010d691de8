using Cadence.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Cadence.Events;

/// <summary>
/// Events of a bulk write (an import's opt-out changes), inserted inside the caller's transaction without the change
/// tracker: one prepared statement on SQLite, binary COPY on PostgreSQL (where the transaction id column takes its
/// default, as it does for every insert). Nothing at all is done for an empty list, so an import that changes no
/// opt-out pays nothing.
/// </summary>
public static class EventBulkWriter
{
    const string Columns = "\"PublicId\", \"OrganizationId\", \"TeamId\", \"Type\", \"OccurredAt\", \"Payload\"";

    public static async Task WriteAsync(CadenceDb db, IReadOnlyList<Event> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }
        var connection = db.Database.GetDbConnection();
        if (!db.IsPostgres)
        {
            SqliteBulk.Execute(connection, db.Database.CurrentTransaction!.GetDbTransaction(),
                $"INSERT INTO \"Events\" ({Columns}) VALUES ($0, $1, $2, $3, $4, $5)", events,
                e => [e.PublicId, SqliteBulk.Guid(e.OrganizationId), e.TeamId is { } team ? SqliteBulk.Guid(team) : null, e.Type, SqliteBulk.Time(e.OccurredAt), e.Payload],
                cancellationToken);
            return;
        }
        await using var writer = await ((NpgsqlConnection)connection).BeginBinaryImportAsync($"COPY \"Events\" ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var e in events)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(e.PublicId, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(e.OrganizationId, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteOrNullAsync(e.TeamId, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(e.Type, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(e.OccurredAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(e.Payload, NpgsqlDbType.Text, cancellationToken);
        }
        await writer.CompleteAsync(cancellationToken);
    }
}
