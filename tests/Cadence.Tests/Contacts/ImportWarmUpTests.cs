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

    [Fact]
    public Task AWarmUpSettingThatIsNoBooleanStopsTheStartNamingIt() =>
        StartRefusal.AssertAsync("Cadence:ImportWarmUp", "maybe", "Cadence:ImportWarmUp must be true or false, not 'maybe'.");
}
