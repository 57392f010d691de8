using System.Data.Common;
using System.Runtime.CompilerServices;
using Cadence.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cadence.Contacts;

/// <summary>SQLite: each planned row is written at once through one prepared statement per kind of write.</summary>
sealed class SqliteContactWriter(CadenceDb db, ImportPlan plan) : ContactBulkWriter.ContactWriter
{
    readonly Microsoft.Data.Sqlite.SqliteConnection connection = (Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection();
    // Values shared by every row of the batch are formatted once.
    readonly byte[] now = System.Text.Encoding.UTF8.GetBytes(SqliteBulk.Time(plan.Now));
    SqliteStatement? insert;
    SqliteStatement? update;
    SqliteStatement? byId;
    SqliteStatement? byNumber;

    /// <summary>
    /// One indexed lookup per key, on prepared statements (no round trip to save on SQLite). A number is looked up only
    /// when no contact found by id holds it already, so an unchanged re-import reads each contact once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    public override ValueTask FindAsync(List<string> ids, List<string> numbers, StoredContacts into, CancellationToken cancellationToken)
    {
        byId ??= new SqliteStatement(connection,
            "SELECT \"Id\", \"FirstName\", \"LastName\", \"MobileNumber\", \"OptedOut\", \"StaffId\", \"CustomFields\" " +
            "FROM \"Contacts\" WHERE \"TeamId\" = ?1 AND \"UniqueCampusId\" = ?2").Guid(1, plan.Team.Id);
        foreach (var id in ids)
        {
            if (byId.Text(2, id).Query())
            {
                System.Buffers.Text.Utf8Parser.TryParse(byId.ColumnBytes(0), out Guid guid, out _);
                into.Add(new StoredContact(guid, id, byId.ColumnText(1)!, byId.ColumnText(2)!, byId.ColumnText(3)!, byId.ColumnLong(4) != 0, byId.ColumnText(5), byId.ColumnBytes(6).ToArray()));
            }
            byId.Reset();
        }
        byNumber ??= new SqliteStatement(connection, "SELECT \"UniqueCampusId\" FROM \"Contacts\" WHERE \"TeamId\" = ?1 AND \"MobileNumber\" = ?2")
            .Guid(1, plan.Team.Id);
        foreach (var number in numbers)
        {
            if (!into.OwnerByNumber.ContainsKey(number) && byNumber.Text(2, number).Query())
            {
                into.OwnerByNumber[number] = byNumber.ColumnText(0)!;
            }
            byNumber.Reset();
        }
        return ValueTask.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    public override ValueTask WriteAsync(PlannedWrite write, CancellationToken cancellationToken)
    {
        var c = write.Contact;
        if (write.IsNew)
        {
            insert ??= new SqliteStatement(connection, $"INSERT INTO \"Contacts\" ({ContactBulkWriter.Columns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)")
                .Guid(2, plan.Team.OrganizationId).Guid(3, plan.Team.Id).Text(11, now).Text(12, now);
            insert.Guid(1, c.Id).Text(4, c.UniqueCampusId).Text(5, c.FirstName).Text(6, c.LastName).Text(7, c.MobileNumber)
                .Integer(8, c.OptedOut ? 1 : 0).Text(9, c.StaffId).Text(10, c.CustomFields).Run();
        }
        else
        {
            update ??= new SqliteStatement(connection,
                "UPDATE \"Contacts\" SET \"FirstName\" = ?2, \"LastName\" = ?3, \"MobileNumber\" = ?4, " +
                "\"OptedOut\" = CASE WHEN ?9 = 1 THEN ?5 ELSE \"OptedOut\" END, \"StaffId\" = ?6, \"CustomFields\" = ?7, \"UpdatedAt\" = ?8 WHERE \"Id\" = ?1")
                .Text(8, now);
            update.Guid(1, c.Id).Text(2, c.FirstName).Text(3, c.LastName).Text(4, c.MobileNumber).Integer(5, c.OptedOut ? 1 : 0)
                .Text(6, c.StaffId).Text(7, c.CustomFields).Integer(9, write.OptOutChanged ? 1 : 0).Run();
        }
        return ValueTask.CompletedTask;
    }

    public override Task CompleteAsync(CancellationToken cancellationToken)
    {
        SqliteBulk.Execute(connection, db.Database.CurrentTransaction!.GetDbTransaction(),
            "INSERT INTO \"OptOutChanges\" (\"OrganizationId\", \"TeamId\", \"ContactId\", \"OldValue\", \"NewValue\", \"Source\", \"At\") VALUES ($0, $1, $2, $3, $4, $5, $6)",
            plan.OptOutChanges, o => [SqliteBulk.Guid(o.OrganizationId), SqliteBulk.Guid(o.TeamId), SqliteBulk.Guid(o.ContactId), o.OldValue ? 1 : 0, o.NewValue ? 1 : 0, o.Source, SqliteBulk.Time(o.At)],
            cancellationToken);
        return Events.EventBulkWriter.WriteAsync(db, plan.OptOutEvents, cancellationToken);
    }

    public override ValueTask DisposeAsync()
    {
        insert?.Dispose();
        update?.Dispose();
        byId?.Dispose();
        byNumber?.Dispose();
        return ValueTask.CompletedTask;
    }
}
