using Cadence.Data;
using Cadence.Events;
using Cadence.Retention;
using Cadence.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Tests.Events;

public sealed class EventRetentionTests
{
    static Task<List<string>> SeedAsync(CadenceApp app, params int[] daysAgo) => app.WithServicesAsync(async (services, organization) =>
    {
        var db = services.GetRequiredService<CadenceDb>();
        var now = app.Time.GetUtcNow().UtcDateTime;
        var events = daysAgo.Select(d => db.Append(organization.Id, null, null, EventTypes.ContactOptedOut, now.AddDays(-d), null, new OptOutData($"{d}"))).ToList();
        await db.SaveChangesAsync();
        return events.Select(e => e.PublicId).ToList();
    });

    static Task<List<string>> KeptAsync(CadenceApp app) => app.WithServicesAsync((services, _) =>
        services.GetRequiredService<CadenceDb>().Events.OrderBy(e => e.Id).Select(e => e.PublicId).ToListAsync());

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task EventsOlderThanThirtyDaysGoWithNoSettingAndNewerOnesStay(Store store)
    {
        await using var app = await CadenceApp.StartAsync(store);
        var ids = await SeedAsync(app, 45, 31, 29, 0);

        var run = await app.Services.GetRequiredService<RetentionJob>().RunOnceAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, run.Events);
        Assert.Equal(ids[2..], await KeptAsync(app));
        Assert.Equal(0, (await app.Services.GetRequiredService<RetentionJob>().RunOnceAsync(TestContext.Current.CancellationToken)).Events);
    }

    [Fact]
    public async Task TheEventWindowIsConfigurable()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite, new() { ["Cadence:Retention:EventDays"] = "3" });
        var ids = await SeedAsync(app, 31, 4, 2);

        var run = await app.Services.GetRequiredService<RetentionJob>().RunOnceAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, run.Events);
        Assert.Equal(ids[2..], await KeptAsync(app));
    }
}
