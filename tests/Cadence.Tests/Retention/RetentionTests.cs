using Cadence.Audit;
using Cadence.Data;
using Cadence.Messages;
using Cadence.Retention;
using Cadence.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Tests.Retention;

public sealed class RetentionTests
{
    static readonly Dictionary<string, string?> On = new()
    {
        ["Cadence:Retention:MessageBodyDays"] = "30",
        ["Cadence:Retention:AuditDays"] = "90",
        ["Cadence:Retention:EventDays"] = "30",
    };

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task OldBodiesAndAuditEventsGoNewOnesStayAndTheRunIsAudited(Store store)
    {
        await using var app = await CadenceApp.StartAsync(store, On);
        var now = app.Time.GetUtcNow().UtcDateTime;
        var ids = await SeedAsync(app, now);

        var run = await app.Services.GetRequiredService<RetentionJob>().RunOnceAsync(TestContext.Current.CancellationToken);

        Assert.Equal(new RetentionRun(true, 2, 1), run);
        var (messages, events) = await ReadAsync(app);
        Assert.Equal("", messages[ids.OldDelivered].Body);
        Assert.Equal(MessageStatus.Delivered, messages[ids.OldDelivered].Status);
        Assert.Equal("+17165550101", messages[ids.OldDelivered].MobileNumber);
        Assert.Equal("", messages[ids.OldInbound].Body);
        Assert.Equal("still to go out", messages[ids.OldQueued].Body);
        Assert.Equal("last week", messages[ids.Recent].Body);
        Assert.DoesNotContain(events, e => e.Action == "test.old");
        Assert.Contains(events, e => e.Action == "test.recent");
        var audit = Assert.Single(events, e => e.Action == "retention.applied");
        Assert.Equal("retention", audit.Actor);
        Assert.Contains("bodies of 2 texts", audit.Detail);
        Assert.Contains("1 audit events", audit.Detail);

        // A second run finds nothing more and leaves no second audit event.
        Assert.Equal(new RetentionRun(true, 0, 0), await app.Services.GetRequiredService<RetentionJob>().RunOnceAsync(TestContext.Current.CancellationToken));
        Assert.Single((await ReadAsync(app)).Events, e => e.Action == "retention.applied");
    }

    [Fact]
    public async Task NothingIsErasedWhenRetentionIsOff()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        var ids = await SeedAsync(app, app.Time.GetUtcNow().UtcDateTime);
        app.Time.Advance(TimeSpan.FromDays(3650));

        var run = await app.Services.GetRequiredService<RetentionJob>().RunOnceAsync(TestContext.Current.CancellationToken);

        // Only the event feed has a window by default (30 days, EventRetentionTests); texts and audit events stay.
        Assert.Equal((0, 0), (run.MessageBodies, run.AuditEvents));
        var (messages, events) = await ReadAsync(app);
        Assert.Equal("a year ago", messages[ids.OldDelivered].Body);
        Assert.Contains(events, e => e.Action == "test.old");
        Assert.DoesNotContain(events, e => e.Action == "retention.applied");
    }

    [Fact]
    public Task ANonsenseRetentionIsRefusedAtStart() =>
        StartRefusal.AssertAsync("Cadence:Retention:MessageBodyDays", "0", "Cadence:Retention:MessageBodyDays");

    sealed record Seeded(long OldDelivered, long OldInbound, long OldQueued, long Recent);

    static Task<Seeded> SeedAsync(CadenceApp app, DateTime now) => app.WithServicesAsync(async (services, organization) =>
    {
        var db = services.GetRequiredService<CadenceDb>();
        Message Text(string body, string direction, string status, int daysAgo) => new()
        {
            OrganizationId = organization.Id, Direction = direction, MobileNumber = "+17165550101", Body = body, Segments = 1,
            Status = status, CreatedAt = now.AddDays(-daysAgo), UpdatedAt = now.AddDays(-daysAgo),
        };
        var queued = Text("still to go out", "outbound", MessageStatus.Queued, 60);
        // Scheduled far ahead, so that the outbox worker leaves it queued for the whole test.
        queued.NotBefore = now.AddYears(1);
        var texts = new[]
        {
            Text("a year ago", "outbound", MessageStatus.Delivered, 365),
            Text("STOP", "inbound", MessageStatus.Received, 40),
            queued,
            Text("last week", "outbound", MessageStatus.Delivered, 7),
        };
        db.Messages.AddRange(texts);
        db.Record(organization.Id, new Actor("test"), "test.old", "x", now.AddDays(-91));
        db.Record(organization.Id, new Actor("test"), "test.recent", "x", now.AddDays(-89));
        await db.SaveChangesAsync();
        return new Seeded(texts[0].Id, texts[1].Id, texts[2].Id, texts[3].Id);
    });

    static Task<(Dictionary<long, Message> Messages, List<AuditEvent> Events)> ReadAsync(CadenceApp app) => app.WithServicesAsync(async (services, _) =>
    {
        var db = services.GetRequiredService<CadenceDb>();
        return (await db.Messages.AsNoTracking().ToDictionaryAsync(m => m.Id), await db.AuditEvents.AsNoTracking().ToListAsync());
    });
}
