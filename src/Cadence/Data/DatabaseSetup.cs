using Cadence.Teams;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Data;

/// <summary>Brings a database to the current schema and makes sure it holds the organization.</summary>
public static class DatabaseSetup
{
    public static async Task MigrateAsync(CadenceDb db, CancellationToken cancellationToken = default)
    {
        if (!db.IsPostgres)
        {
            DataDirectory.CreateDatabaseFile(db.Database.GetDbConnection().DataSource);
            // WAL lets readers (the console, the API) go on while a writer (an import) works.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        await db.Database.MigrateAsync(cancellationToken);
    }

    // Asked of PostgreSQL itself: EF finds out by reading the history table, and logs a failed command when it is not there yet.
    static async Task<bool> HasHistoryAsync(CadenceDb db, CancellationToken cancellationToken) =>
        await db.Database.SqlQuery<bool>($"SELECT to_regclass('\"__EFMigrationsHistory\"') IS NOT NULL AS \"Value\"").SingleAsync(cancellationToken);

    /// <summary>
    /// Applies migrations where that is automatic (SQLite, or when told to), refuses to run on an
    /// out-of-date PostgreSQL schema, and creates the organization on first start.
    /// </summary>
    public static async Task<Organization> PrepareAsync(
        CadenceDb db, DataOptions settings, IPepperCheck pepper, TimeProvider time, CancellationToken cancellationToken = default)
    {
        try
        {
            if (!db.IsPostgres || settings.MigrateOnStart)
            {
                await MigrateAsync(db, cancellationToken);
            }
            else if (!await HasHistoryAsync(db, cancellationToken) || (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
            {
                throw new CadenceException("The PostgreSQL database is not on the current schema. Run `cadence migrate --database \"…\"` first.");
            }
        }
        catch (Exception e) when (e is not CadenceException and not OperationCanceledException)
        {
            throw new CadenceException($"Cannot open the database: {e.Message}");
        }

        var organization = await db.Organizations.SingleOrDefaultAsync(cancellationToken);
        if (organization is null)
        {
            organization = new Organization
            {
                Name = settings.OrganizationName,
                CreatedAt = time.GetUtcNow().UtcDateTime,
                PepperCheck = pepper.PepperCheck(),
            };
            db.Organizations.Add(organization);
            await db.SaveChangesAsync(cancellationToken);
        }
        else if (organization.PepperCheck != pepper.PepperCheck())
        {
            throw new CadenceException(
                "This node's secret pepper differs from the one this database was set up with, so no credential would verify. " +
                "Give every node the same CADENCE_PEPPER (or the same data/pepper.key).");
        }
        return organization;
    }
}
