using System.Runtime.CompilerServices;
using System.Data.Common;
using Cadence.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cadence.Contacts;

/// <summary>SQLite: each planned row is written at once through one prepared statement per kind of write.</summary>
sealed class SqliteContactWriter(CadenceDb db, ImportPlan plan) : ContactBulkWriter.ContactWriter
{
    readonly Microsoft.Data.Sqlite.SqliteConnection connection = (Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection();
    readonly DbTransaction transaction = db.Database.CurrentTransaction!.GetDbTransaction();
    // Values shared by every row of the batch are formatted once.
    readonly byte[] now = System.Text.Encoding.UTF8.GetBytes(SqliteBulk.Time(plan.Now));
    SqliteStatement? insert;
    SqliteStatement? update;

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
        SqliteBulk.Execute(connection, transaction,
            "INSERT INTO \"OptOutChanges\" (\"OrganizationId\", \"TeamId\", \"ContactId\", \"OldValue\", \"NewValue\", \"Source\", \"At\") VALUES ($0, $1, $2, $3, $4, $5, $6)",
            plan.OptOutChanges, o => [SqliteBulk.Guid(o.OrganizationId), SqliteBulk.Guid(o.TeamId), SqliteBulk.Guid(o.ContactId), o.OldValue ? 1 : 0, o.NewValue ? 1 : 0, o.Source, SqliteBulk.Time(o.At)],
            cancellationToken);
        return Events.EventBulkWriter.WriteAsync(db, plan.OptOutEvents, cancellationToken);
    }

    public override ValueTask DisposeAsync()
    {
        insert?.Dispose();
        update?.Dispose();
        return ValueTask.CompletedTask;
    }
}
