using Cadence.Audit;
using Cadence.Contacts;
using Cadence.Data;
using Cadence.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Tests.Contacts;

/// <summary>
/// PRODUCT.md §5, never text an opted-out contact: an import plans its changes from the contacts it read, and a
/// STOP may commit between that read and the import's write. The import must only write an opt-out status it
/// changes, so the STOP stands. The race is set up step by step through the import's own parts.
/// </summary>
public sealed class ImportOptOutRaceTests
{
    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task AStopThatLandsAfterAnImportReadTheContactIsNotUndoneByTheImport(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);
        await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", last: "Lovelace"), ContactsApp.Row("P2", mobile: "716-555-0102") } });

        await c.App.WithServicesAsync(async (services, _) =>
        {
            var db = services.GetRequiredService<CadenceDb>();
            var team = await db.Teams.SingleAsync(t => t.DepartmentCode == "SS");
            var read = await db.Contacts.AsNoTracking().Where(x => x.TeamId == team.Id)
                .Select(x => new StoredContact(x.Id, x.UniqueCampusId, x.FirstName, x.LastName, x.MobileNumber, x.OptedOut, x.StaffId, x.CustomFields))
                .ToListAsync();
            var plan = new ImportPlan(team, new Dictionary<string, CustomField>(StringComparer.OrdinalIgnoreCase), [], DateTime.UtcNow, "api");
            read.ForEach(plan.Stored.Add);
            var writes = new[]
            {
                plan.Add(new ContactInput { Row = 1, UniqueCampusId = "P1", FirstName = "Ada", LastName = "Byron", MobileNumber = "716-555-0101" }),
                // P2's row opts it out explicitly: that change is the import's to make.
                plan.Add(new ContactInput { Row = 2, UniqueCampusId = "P2", FirstName = "Ada", LastName = "Lovelace", MobileNumber = "716-555-0102", OptedOut = true }),
            };

            // The student texts STOP; it commits on another connection before the import writes.
            await using (var other = services.CreateAsyncScope())
            {
                var otherDb = other.ServiceProvider.GetRequiredService<CadenceDb>();
                var contact = await otherDb.Contacts.SingleAsync(x => x.TeamId == team.Id && x.UniqueCampusId == "P1");
                contact.OptedOut = true;
                await otherDb.SaveChangesAsync();
            }

            await using var transaction = await db.Database.BeginTransactionAsync();
            await using (var writer = await ContactBulkWriter.StartAsync(db, plan, TestContext.Current.CancellationToken))
            {
                foreach (var write in writes)
                {
                    await writer.WriteAsync(write!.Value, TestContext.Current.CancellationToken);
                }
                await writer.CompleteAsync(TestContext.Current.CancellationToken);
            }
            await transaction.CommitAsync();
            return 0;
        });

        var p1 = await c.GetAsync("/v2/contacts/SS/716-555-0101");
        var p2 = await c.GetAsync("/v2/contacts/SS/716-555-0102");
        Assert.Equal("Byron", p1.Str("lastName"));
        Assert.True(p1.GetProperty("optedOut").GetBoolean());
        Assert.True(p2.GetProperty("optedOut").GetBoolean());
    }

    /// <summary>
    /// An import reads the opt-outs of a chunk's numbers right after the chunk's contacts, not once at its start, so a
    /// STOP that commits while an earlier chunk is written is heeded: here a stranger's every-team STOP, which takes no
    /// team lock, from a number that a row after it gives to a new contact.
    /// </summary>
    [Fact]
    public async Task AStopThatCommitsWhileAnImportRunsIsHeededForTheRowsLookedUpAfterIt()
    {
        await using var c = await ContactsApp.StartAsync(Store.Postgres);
        await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1") } }); // a team with contacts looks its rows up a chunk at a time
        var rows = ContactImporter.LookupChunkRows + 500;
        static string Number(int i) => $"1-716-{300 + i / 10_000}-{i % 10_000:D4}";

        var batch = await c.App.WithServicesAsync(async (services, organization) =>
        {
            var team = await services.GetRequiredService<CadenceDb>().Teams.SingleAsync(t => t.DepartmentCode == "SS");
            IEnumerable<ContactInput> Rows()
            {
                for (var i = 0; i < rows; i++)
                {
                    if (i == ContactImporter.LookupChunkRows + 100)
                    {
                        // The first chunk is written; the STOP commits on another connection before the second is looked up.
                        using var other = services.CreateScope();
                        NumberOptOut.RememberAsync(other.ServiceProvider.GetRequiredService<CadenceDb>(), organization.Id, NumberOptOut.EveryTeam, Number(rows - 1),
                            NumberOptOut.Keyword, DateTime.UtcNow, TestContext.Current.CancellationToken).GetAwaiter().GetResult();
                    }
                    yield return new ContactInput { Row = i + 1, UniqueCampusId = $"N{i}", FirstName = "Cy", LastName = "Young", MobileNumber = Number(i) };
                }
            }
            using var source = new ListSource("json", Rows());
            return await services.GetRequiredService<ContactImporter>().ImportAsync(team, source, new ContactImporter.Options("import", new Actor("test")),
                TestContext.Current.CancellationToken);
        });

        Assert.Equal((rows, 0), (batch.Created, batch.Failed));
        Assert.True((await c.GetAsync($"/v2/contacts/SS/by-id/N{rows - 1}")).GetProperty("optedOut").GetBoolean());
        Assert.False((await c.GetAsync($"/v2/contacts/SS/by-id/N{rows - 2}")).GetProperty("optedOut").GetBoolean());
    }
}
