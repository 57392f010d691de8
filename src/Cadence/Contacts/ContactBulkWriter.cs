using Cadence.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Cadence.Contacts;

/// <summary>
/// Writes an import plan inside the caller's transaction. Hand-written SQL on purpose: this is the measured
/// hot path (100,000 contacts in a request); EF Core's change tracker takes many seconds for that many rows.
/// SQLite gets one prepared statement reused per row; PostgreSQL gets binary COPY.
/// </summary>
public static class ContactBulkWriter
{
    const string Columns = "\"Id\", \"OrganizationId\", \"TeamId\", \"UniqueCampusId\", \"FirstName\", \"LastName\", \"MobileNumber\", \"OptedOut\", \"StaffId\", \"CustomFields\", \"CreatedAt\", \"UpdatedAt\"";

    /// <summary>PostgreSQL: one import per team at a time (SQLite's write lock already serialises everything).</summary>
    public static async Task LockTeamAsync(CadenceDb db, Guid teamId, CancellationToken cancellationToken)
    {
        if (db.IsPostgres)
        {
            var key = BitConverter.ToInt64(teamId.ToByteArray(), 8);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", cancellationToken);
        }
    }

    public static Task WriteAsync(CadenceDb db, ImportPlan plan, CancellationToken cancellationToken) =>
        db.IsPostgres ? WritePostgresAsync(db, plan, cancellationToken) : WriteSqliteAsync(db, plan, cancellationToken);

    static async Task WriteSqliteAsync(CadenceDb db, ImportPlan plan, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        // A 64 MiB page cache keeps the contact indexes in memory while 100,000 rows go in (the default is 2 MiB).
        await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -65536", cancellationToken);
        // Values shared by every row of the batch are formatted once.
        var organization = SqliteBulk.Guid(plan.Team.OrganizationId);
        var team = SqliteBulk.Guid(plan.Team.Id);
        var now = SqliteBulk.Time(plan.Now);
        if (plan.Inserts.Count > 0)
        {
            SqliteBulk.Execute(connection, transaction, $"INSERT INTO \"Contacts\" ({Columns}) VALUES ($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                plan.Inserts, c => [SqliteBulk.Guid(c.Id), organization, team, c.UniqueCampusId, c.FirstName, c.LastName, c.MobileNumber, c.OptedOut ? 1 : 0, c.StaffId, c.CustomFields, now, now],
                cancellationToken);
        }
        if (plan.Updates.Count > 0)
        {
            SqliteBulk.Execute(connection, transaction,
                "UPDATE \"Contacts\" SET \"FirstName\" = $1, \"LastName\" = $2, \"MobileNumber\" = $3, " +
                "\"OptedOut\" = CASE WHEN $8 = 1 THEN $4 ELSE \"OptedOut\" END, \"StaffId\" = $5, \"CustomFields\" = $6, \"UpdatedAt\" = $7 WHERE \"Id\" = $0",
                plan.Updates, c => [SqliteBulk.Guid(c.Id), c.FirstName, c.LastName, c.MobileNumber, c.OptedOut ? 1 : 0, c.StaffId, c.CustomFields, now,
                    plan.OptOutChanged.Contains(c.Id) ? 1 : 0],
                cancellationToken);
        }
        if (plan.OptOutChanges.Count > 0)
        {
            SqliteBulk.Execute(connection, transaction,
                "INSERT INTO \"OptOutChanges\" (\"OrganizationId\", \"TeamId\", \"ContactId\", \"OldValue\", \"NewValue\", \"Source\", \"At\") VALUES ($0, $1, $2, $3, $4, $5, $6)",
                plan.OptOutChanges, o => [SqliteBulk.Guid(o.OrganizationId), SqliteBulk.Guid(o.TeamId), SqliteBulk.Guid(o.ContactId), o.OldValue ? 1 : 0, o.NewValue ? 1 : 0, o.Source, SqliteBulk.Time(o.At)],
                cancellationToken);
        }
    }

    static async Task WritePostgresAsync(CadenceDb db, ImportPlan plan, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        if (plan.Inserts.Count > 0)
        {
            await CopyContactsAsync(connection, "\"Contacts\"", plan.Inserts, cancellationToken);
        }
        if (plan.Updates.Count > 0)
        {
            await using (var create = new NpgsqlCommand("CREATE TEMP TABLE contact_updates (LIKE \"Contacts\" INCLUDING DEFAULTS) ON COMMIT DROP", connection))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
            await CopyContactsAsync(connection, "contact_updates", plan.Updates, cancellationToken);
            await using (var update = new NpgsqlCommand(
                "UPDATE \"Contacts\" c SET \"FirstName\" = u.\"FirstName\", \"LastName\" = u.\"LastName\", \"MobileNumber\" = u.\"MobileNumber\", " +
                "\"StaffId\" = u.\"StaffId\", \"CustomFields\" = u.\"CustomFields\", \"UpdatedAt\" = u.\"UpdatedAt\" " +
                "FROM contact_updates u WHERE c.\"Id\" = u.\"Id\"", connection))
            {
                await update.ExecuteNonQueryAsync(cancellationToken);
            }
            // The opt-out status only where this import changes it (see ImportPlan.OptOutChanged).
            var changed = plan.Updates.Where(c => plan.OptOutChanged.Contains(c.Id)).Select(c => c.Id).ToArray();
            if (changed.Length > 0)
            {
                await using var optOut = new NpgsqlCommand(
                    "UPDATE \"Contacts\" c SET \"OptedOut\" = u.\"OptedOut\" FROM contact_updates u JOIN unnest(@changed) AS g(id) ON g.id = u.\"Id\" " +
                    "WHERE c.\"Id\" = u.\"Id\"", connection);
                optOut.Parameters.Add(new NpgsqlParameter("changed", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = changed });
                await optOut.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        if (plan.OptOutChanges.Count > 0)
        {
            await using var writer = await connection.BeginBinaryImportAsync(
                "COPY \"OptOutChanges\" (\"OrganizationId\", \"TeamId\", \"ContactId\", \"OldValue\", \"NewValue\", \"Source\", \"At\") FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var o in plan.OptOutChanges)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(o.OrganizationId, NpgsqlDbType.Uuid, cancellationToken);
                await writer.WriteAsync(o.TeamId, NpgsqlDbType.Uuid, cancellationToken);
                await writer.WriteAsync(o.ContactId, NpgsqlDbType.Uuid, cancellationToken);
                await writer.WriteAsync(o.OldValue, NpgsqlDbType.Boolean, cancellationToken);
                await writer.WriteAsync(o.NewValue, NpgsqlDbType.Boolean, cancellationToken);
                await writer.WriteAsync(o.Source, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(o.At, NpgsqlDbType.TimestampTz, cancellationToken);
            }
            await writer.CompleteAsync(cancellationToken);
        }
    }

    static async Task CopyContactsAsync(NpgsqlConnection connection, string table, List<Contact> contacts, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginBinaryImportAsync($"COPY {table} ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var c in contacts)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(c.Id, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(c.OrganizationId, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(c.TeamId, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(c.UniqueCampusId, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(c.FirstName, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(c.LastName, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(c.MobileNumber, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(c.OptedOut, NpgsqlDbType.Boolean, cancellationToken);
            if (c.StaffId is null)
            {
                await writer.WriteNullAsync(cancellationToken);
            }
            else
            {
                await writer.WriteAsync(c.StaffId, NpgsqlDbType.Varchar, cancellationToken);
            }
            await writer.WriteAsync(c.CustomFields, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(c.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(c.UpdatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
        }
        await writer.CompleteAsync(cancellationToken);
    }
}
