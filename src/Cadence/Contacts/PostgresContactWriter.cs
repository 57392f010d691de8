using Cadence.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Cadence.Contacts;

/// <summary>
/// New contacts stream into a binary COPY as they are planned. Changed ones are copied into a temporary table a chunk
/// at a time (one connection runs one COPY at a time, and a chunk's lookup needs the connection between) and applied
/// in one UPDATE at the end; a nightly sync changes few.
/// </summary>
sealed class PostgresContactWriter(CadenceDb db, ImportPlan plan) : ContactBulkWriter.ContactWriter
{
    readonly NpgsqlConnection connection = (NpgsqlConnection)db.Database.GetDbConnection();
    readonly List<Contact> updates = [];
    readonly List<Guid> optOutChanged = [];
    NpgsqlBinaryImporter? inserts;
    bool updatesTable;

    NpgsqlCommand? byId;
    NpgsqlCommand? byNumber;

    /// <summary>
    /// One query for the chunk's ids, then one for its numbers that no contact found by id holds (an unchanged re-import
    /// has none). Each is prepared once per import and joins the keys as a table: measured (100,000-row unchanged
    /// re-import, fresh server), <c>= ANY(@ids)</c> with both kinds in one query took 1.0-1.3 s of lookups.
    /// </summary>
    public override async ValueTask FindAsync(List<string> ids, List<string> numbers, StoredContacts into, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        byId ??= await PrepareAsync(
            "SELECT c.\"Id\", c.\"UniqueCampusId\", c.\"FirstName\", c.\"LastName\", c.\"MobileNumber\", c.\"OptedOut\", c.\"StaffId\", c.\"CustomFields\" " +
            "FROM unnest($2::text[]) AS k(id) JOIN \"Contacts\" c ON c.\"TeamId\" = $1 AND c.\"UniqueCampusId\" = k.id", cancellationToken);
        byId.Parameters[1].Value = ids;
        await using (var reader = await byId.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                into.Add(new StoredContact(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetBoolean(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7)));
            }
        }
        numbers.RemoveAll(into.OwnerByNumber.ContainsKey);
        if (numbers.Count == 0)
        {
            return;
        }
        byNumber ??= await PrepareAsync(
            "SELECT c.\"MobileNumber\", c.\"UniqueCampusId\" FROM unnest($2::text[]) AS k(number) JOIN \"Contacts\" c ON c.\"TeamId\" = $1 AND c.\"MobileNumber\" = k.number",
            cancellationToken);
        byNumber.Parameters[1].Value = numbers;
        await using var owners = await byNumber.ExecuteReaderAsync(cancellationToken);
        while (await owners.ReadAsync(cancellationToken))
        {
            into.OwnerByNumber[owners.GetString(0)] = owners.GetString(1);
        }
    }

    async Task<NpgsqlCommand> PrepareAsync(string sql, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection)
        {
            Parameters =
            {
                new NpgsqlParameter { Value = plan.Team.Id, NpgsqlDbType = NpgsqlDbType.Uuid },
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
            },
        };
        await command.PrepareAsync(cancellationToken);
        return command;
    }

    public override async ValueTask WriteAsync(PlannedWrite write, CancellationToken cancellationToken)
    {
        if (write.IsNew)
        {
            inserts ??= await connection.BeginBinaryImportAsync($"COPY \"Contacts\" ({ContactBulkWriter.Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
            await WriteRowAsync(inserts, write.Contact, cancellationToken);
            return;
        }
        updates.Add(write.Contact);
        if (write.OptOutChanged)
        {
            optOutChanged.Add(write.Contact.Id);
        }
    }

    /// <summary>Ends the open COPY of new contacts and copies the changed ones planned so far into the temporary table.</summary>
    async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (inserts is not null)
        {
            await inserts.CompleteAsync(cancellationToken);
            await inserts.DisposeAsync();
            inserts = null;
        }
        if (updates.Count == 0)
        {
            return;
        }
        if (!updatesTable)
        {
            await using var create = new NpgsqlCommand("CREATE TEMP TABLE contact_updates (LIKE \"Contacts\" INCLUDING DEFAULTS) ON COMMIT DROP", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
            updatesTable = true;
        }
        await using (var copy = await connection.BeginBinaryImportAsync($"COPY contact_updates ({ContactBulkWriter.Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var c in updates)
            {
                await WriteRowAsync(copy, c, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }
        updates.Clear();
    }

    public override async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        if (updatesTable)
        {
            await WriteUpdatesAsync(cancellationToken);
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
        await Events.EventBulkWriter.WriteAsync(db, plan.OptOutEvents, cancellationToken);
    }

    async Task WriteUpdatesAsync(CancellationToken cancellationToken)
    {
        await using (var update = new NpgsqlCommand(
            "UPDATE \"Contacts\" c SET \"FirstName\" = u.\"FirstName\", \"LastName\" = u.\"LastName\", \"MobileNumber\" = u.\"MobileNumber\", " +
            "\"StaffId\" = u.\"StaffId\", \"CustomFields\" = u.\"CustomFields\", \"UpdatedAt\" = u.\"UpdatedAt\" " +
            "FROM contact_updates u WHERE c.\"Id\" = u.\"Id\"", connection))
        {
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        // The opt-out status only where this import changes it (see ImportPlan.Add).
        if (optOutChanged.Count > 0)
        {
            await using var optOut = new NpgsqlCommand(
                "UPDATE \"Contacts\" c SET \"OptedOut\" = u.\"OptedOut\" FROM contact_updates u JOIN unnest(@changed) AS g(id) ON g.id = u.\"Id\" " +
                "WHERE c.\"Id\" = u.\"Id\"", connection);
            optOut.Parameters.Add(new NpgsqlParameter("changed", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = optOutChanged.ToArray() });
            await optOut.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (byId is not null)
        {
            await byId.DisposeAsync();
        }
        if (byNumber is not null)
        {
            await byNumber.DisposeAsync();
        }
        if (inserts is not null)
        {
            await inserts.DisposeAsync(); // not completed: the COPY is cancelled and the transaction rolls back
        }
    }

    static async Task WriteRowAsync(NpgsqlBinaryImporter writer, Contact c, CancellationToken cancellationToken)
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
        await writer.WriteOrNullAsync(c.StaffId, NpgsqlDbType.Varchar, cancellationToken);
        await writer.WriteAsync(c.CustomFields, NpgsqlDbType.Text, cancellationToken);
        await writer.WriteAsync(c.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
        await writer.WriteAsync(c.UpdatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
    }
}
