using System.Data.Common;
using Cadence.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Cadence.Messages;

/// <summary>
/// Writes a bulk send's messages in the caller's transaction. Hand-written on purpose (measured): EF Core reads
/// back each generated id, which made accepting 10,000 recipients take seconds; a bulk send answers with counts.
/// </summary>
public static class MessageBulkWriter
{
    const string Columns = "\"OrganizationId\", \"TeamId\", \"ContactId\", \"Direction\", \"MobileNumber\", \"Body\", \"Segments\", \"Status\", \"CredentialId\", \"Attempts\", \"CreatedAt\", \"UpdatedAt\", \"Bulk\", \"NotBefore\", \"IgnoresOptOut\", \"MergedFields\"";

    /// <summary>The texts (all of one team, made at one time) and their conversations, in the caller's transaction or else in one of its own.</summary>
    public static async Task WriteAsync(CadenceDb db, IReadOnlyList<Message> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return;
        }
        var owned = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            // The texts written below are those after the latest id now: their conversations are upserted from them.
            var before = await ConversationActivity.LastIdAsync(db, cancellationToken);
            if (db.IsPostgres)
            {
                await CopyAsync((NpgsqlConnection)connection, messages, cancellationToken);
            }
            else
            {
                Insert(connection, db.Database.CurrentTransaction!.GetDbTransaction(), messages, cancellationToken);
            }
            await ConversationActivity.RecordBulkAsync(db, messages[0].CreatedAt, before, messages[0].TeamId!.Value, cancellationToken);
            if (owned is not null)
            {
                await owned.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            if (owned is not null)
            {
                await owned.DisposeAsync();
            }
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>PostgreSQL: one binary COPY, in the transaction open on the connection.</summary>
    static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<Message> messages, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginBinaryImportAsync($"COPY \"Messages\" ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var m in messages)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(m.OrganizationId, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(m.TeamId!.Value, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(m.ContactId!.Value, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(m.Direction, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(m.MobileNumber, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(m.Body, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(m.Segments, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(m.Status, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteOrNullAsync(m.CredentialId, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(0, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(m.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(m.UpdatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(m.Bulk, NpgsqlDbType.Boolean, cancellationToken);
            await writer.WriteOrNullAsync(m.NotBefore, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(m.IgnoresOptOut, NpgsqlDbType.Boolean, cancellationToken);
            await writer.WriteAsync(m.MergedFields ?? "", NpgsqlDbType.Varchar, cancellationToken);
        }
        await writer.CompleteAsync(cancellationToken);
    }

    /// <summary>SQLite: one prepared INSERT run per text; the organization and the time are the same for all, so made once.</summary>
    static void Insert(DbConnection connection, DbTransaction transaction, IReadOnlyList<Message> messages, CancellationToken cancellationToken)
    {
        var organization = SqliteBulk.Guid(messages[0].OrganizationId);
        var now = SqliteBulk.Time(messages[0].CreatedAt);
        SqliteBulk.Execute(connection, transaction,
            $"INSERT INTO \"Messages\" ({Columns}) VALUES ($0, $1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $9, $10, $11, $12, $13)", messages,
            m => [organization, SqliteBulk.Guid(m.TeamId!.Value), SqliteBulk.Guid(m.ContactId!.Value), m.Direction, m.MobileNumber, m.Body, m.Segments, m.Status,
                m.CredentialId is { } c ? SqliteBulk.Guid(c) : null, now, m.Bulk ? 1 : 0, m.NotBefore is { } n ? SqliteBulk.Time(n) : null, m.IgnoresOptOut ? 1 : 0, m.MergedFields ?? ""],
            cancellationToken);
    }
}
