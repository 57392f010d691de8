using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cadence.Data;
using Cadence.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Tests.Contacts;

/// <summary>A server that has just started runs the import's row path on made-up rows, and writes nothing.</summary>
public sealed class ImportWarmUpTests
{
    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task AStartedServerPlansMadeUpRowsOfBothFormatsWithoutRefusalsAndWritesNothing(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store, new() { ["Cadence:ImportWarmUp"] = "true" });

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(c.App.Logs.All.Contains("Import warm-up done")), TimeSpan.FromSeconds(30)),
            c.App.Logs.All);
        var done = c.App.Logs.Lines.Single(l => l.Contains("Import warm-up done"));
        // 12 rounds of 300 rows in each format, each row planned as a new contact and then as the same one on file.
        Assert.Contains("Rows=14400", done);
        Assert.Contains("Refused=0", done);
        Assert.DoesNotContain("warm-up failed", c.App.Logs.All);
        Assert.Equal(0, await c.ContactCountAsync());
        Assert.Equal(0, await c.App.WithServicesAsync((s, _) => s.GetRequiredService<CadenceDb>().ImportBatches.CountAsync()));
        Assert.Equal(0, await c.App.WithServicesAsync((s, _) => s.GetRequiredService<CadenceDb>().Events.CountAsync()));

        var report = await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("W00000001") } });
        Assert.Equal(1, report.Int("created"));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task AfterTheWarmUpAnImportAndItsReImportCompileNoQueryOfTheirOwn(Store store)
    {
        // EF Core compiles a query the first time it runs it: on a fresh server the first unchanged re-import compiled
        // the chunk's opt-out lookup (the runtime's compile log, session 12). The warm-up runs the import's queries
        // first. The real executable, because EF Core keeps compiled queries per process: in-process servers would
        // find them compiled by other tests.
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(store);
        Assert.Equal(0, (await CliRunner.RunAsync(database, ["migrate"])).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(database, ["teams", "add", "SS", "--name", "Student Success"])).ExitCode);
        var basic = await CliRunner.BasicCredentialAsync(database, "warm");
        await using var server = await ServerProcess.StartAsync(database,
            "--Logging:LogLevel:Microsoft.EntityFrameworkCore.Query=Debug", "--Logging:LogLevel:Cadence.Contacts.ImportWarmUp=Debug");
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(server.Output.Contains("Import warm-up done")), TimeSpan.FromSeconds(60)), server.Output);
        var warmUp = server.Output;
        Assert.Contains("DbSet<NumberOptOut>", warmUp); // the log shows the warm-up's own compiles

        using var client = new HttpClient { BaseAddress = server.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", basic);
        var rows = new { contacts = new[] { ContactsApp.Row("P1"), ContactsApp.Row("P2", mobile: "716-555-0102") } };
        foreach (var expected in new[] { "\"created\":2", "\"unchanged\":2" })
        {
            var import = await client.PostAsJsonAsync("/v2/contacts/SS/import", rows, ct);
            Assert.Contains(expected, await import.Content.ReadAsStringAsync(ct));
        }

        var imports = server.Output[warmUp.Length..].Split("dbug: ").Where(e => e.Contains("Compiling query expression")
            && (e.Contains("NumberOptOut") || e.Contains("CustomField") || e.Contains("DbSet<User>") || e.Contains("DbSet<Contact>"))).ToList();
        Assert.True(imports.Count == 0, string.Join("\n", imports));
    }

    [Fact]
    public Task AWarmUpSettingThatIsNoBooleanStopsTheStartNamingIt() =>
        StartRefusal.AssertAsync("Cadence:ImportWarmUp", "maybe", "Cadence:ImportWarmUp must be true or false, not 'maybe'.");
}
