using Cadence.Data;
using Cadence.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Tests.Contacts;

/// <summary>
/// PostgreSQL plans the listing from the contacts' statistics, which a large import leaves stale until autovacuum gets
/// to them: after an import that writes many contacts the server analyzes the table itself; a small one does not.
/// </summary>
public sealed class ContactStatisticsTests
{
    [Fact]
    public async Task AnImportOfTenThousandContactsHasTheirStatisticsRefreshedAndASmallOneDoesNot()
    {
        await using var c = await ContactsApp.StartAsync(Store.Postgres);
        await c.ImportAsync(new { contacts = Enumerable.Range(0, 10).Select(i => ContactsApp.Row($"S{i:D5}", mobile: $"{2002000000 + i}")).ToArray() });

        await c.ImportAsync(new
        {
            contacts = Enumerable.Range(0, Cadence.Contacts.ContactStatistics.RowsWorthAnalyzing)
                .Select(i => ContactsApp.Row($"P{i:D5}", mobile: $"{2003000000 + i}")).ToArray(),
        });

        Assert.True(await Eventually.TrueAsync(async () => await AnalyzeCountAsync(c) > 0, TimeSpan.FromSeconds(30)),
            "the contacts were not analyzed after a large import");
        // The small import, long finished before the large one began, asked for nothing: one analysis in all.
        Assert.Equal(1, await AnalyzeCountAsync(c));
    }

    /// <summary>How often the table was analyzed by a command (autovacuum's own runs are counted apart).</summary>
    static Task<long> AnalyzeCountAsync(ContactsApp c) => c.App.WithServicesAsync((services, _) =>
        services.GetRequiredService<CadenceDb>().Database
            .SqlQueryRaw<long>("SELECT analyze_count AS \"Value\" FROM pg_stat_user_tables WHERE relname = 'Contacts'").SingleAsync());
}
