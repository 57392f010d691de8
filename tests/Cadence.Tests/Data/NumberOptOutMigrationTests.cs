using Cadence.Data;
using Cadence.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;

namespace Cadence.Tests.Data;

/// <summary>A STOP texted before the number kept its own opt-out is carried over by the upgrade.</summary>
public sealed class NumberOptOutMigrationTests
{
    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task AnUpgradeKeepsEarlierKeywordOptOutsAsTheStudents(Store store)
    {
        await using var database = await TestDatabase.CreateAsync(store);
        await using (var app = await CadenceApp.StartAsync(database))
        {
            await app.AddTeamAsync("SS");
        }
        var ct = TestContext.Current.CancellationToken;
        var services = new ServiceCollection().AddLogging().AddCadenceCore(new ConfigurationBuilder().AddInMemoryCollection(database.Settings).Build());
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CadenceDb>();
        var migrator = db.GetService<IMigrator>();
        var steps = db.Database.GetMigrations().ToList();
        await migrator.MigrateAsync(steps[steps.IndexOf(steps.Single(s => s.EndsWith("_NumberOptOuts", StringComparison.Ordinal))) - 1], cancellationToken: ct);

        // As an older Cadence left it: one contact opted out by STOP, one by import.
        var team = await db.Teams.SingleAsync(ct);
        var (keyword, imported) = (Guid.NewGuid(), Guid.NewGuid());
        var yes = db.IsPostgres ? "TRUE" : "1";
        const string empty = "{{}}"; // ExecuteSqlRaw formats its text: this is {}
        foreach (var (id, campusId, number, source) in new[] { (keyword, "P1", "1-716-555-0101", "keyword"), (imported, "P2", "1-716-555-0102", "import") })
        {
            var guid = (Guid g) => db.IsPostgres ? $"'{g}'" : $"'{g.ToString().ToUpperInvariant()}'";
            // Test data of our own making, written as SQL because the model of this build has moved on.
            var sql = $"""
                INSERT INTO "Contacts" ("Id", "OrganizationId", "TeamId", "UniqueCampusId", "FirstName", "LastName", "MobileNumber", "OptedOut", "CustomFields", "CreatedAt", "UpdatedAt")
                VALUES ({guid(id)}, {guid(team.OrganizationId)}, {guid(team.Id)}, '{campusId}', 'A', 'B', '{number}', {yes}, '{empty}', '2026-09-01 12:00:00', '2026-09-01 12:00:00');
                INSERT INTO "OptOutChanges" ("OrganizationId", "TeamId", "ContactId", "OldValue", "NewValue", "Source", "At")
                VALUES ({guid(team.OrganizationId)}, {guid(team.Id)}, {guid(id)}, {(db.IsPostgres ? "FALSE" : "0")}, {yes}, '{source}', '2026-09-01 12:00:00');
                """;
            await db.Database.ExecuteSqlRawAsync(sql, ct);
        }
        await db.Database.MigrateAsync(ct);

        var rows = await db.NumberOptOuts.AsNoTracking().ToListAsync(ct);
        var row = Assert.Single(rows);
        Assert.Equal(("1-716-555-0101", "keyword", team.Id), (row.MobileNumber, row.Source, row.TeamId));
    }
}
