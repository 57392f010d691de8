using System.Net;
using Cadence.Events;
using Cadence.Tests.Contacts;
using Cadence.Tests.Infrastructure;
using Cadence.Tests.Messages;

namespace Cadence.Tests.Events;

public sealed class MessageStatusEventTests
{
    static async Task<List<System.Text.Json.JsonElement>> StatusEventsAsync(CadenceApp app, long messageId) =>
        [.. (await app.StoredAsync(EventTypes.MessageStatusChanged)).Where(e => e.Data().GetProperty("messageId").GetInt64() == messageId)];

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task ADeliveredTextHasOneStatusEventWithItsContact(Store store)
    {
        await using var app = await MessagesApp.StartAsync(store);

        var (response, sent) = await app.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", messageContent = "Hello", uniqueCampusId = "P1" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await app.PhoneAsync("716-555-0101");
        var id = sent.GetProperty("id").GetInt64();

        Assert.True(await Eventually.TrueAsync(async () => (await StatusEventsAsync(app.App, id)).Count > 0));
        var e = Assert.Single(await StatusEventsAsync(app.App, id));
        Assert.Equal("delivered", e.Data().Str("status"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, e.Data().GetProperty("reason").ValueKind);
        Assert.Equal("P1", e.GetProperty("contact").Str("uniqueCampusId"));
        Assert.Equal("SS", e.Str("departmentCode"));
    }

    [Fact]
    public async Task AnUndeliveredTextCarriesTheReason()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite, new() { ["Cadence:SimulatorFailNumbers:0"] = "716-555-0101" });
        using var client = await app.TeamClientAsync();
        await ContactsApp.Expect(await client.PostAsync("/v2/contacts/SS/import",
            System.Net.Http.Json.JsonContent.Create(new { contacts = new[] { ContactsApp.Row("P1") } }), TestContext.Current.CancellationToken), HttpStatusCode.OK);

        var sent = await ContactsApp.Expect(await client.PostAsync("/v2/messages/CreateAndSend",
            System.Net.Http.Json.JsonContent.Create(new { departmentCode = "SS", messageContent = "Hello", uniqueCampusId = "P1" }), TestContext.Current.CancellationToken), HttpStatusCode.OK);
        var id = sent.GetProperty("id").GetInt64();

        Assert.True(await Eventually.TrueAsync(async () => (await StatusEventsAsync(app, id)).Count > 0, TimeSpan.FromSeconds(10)));
        var e = Assert.Single(await StatusEventsAsync(app, id));
        Assert.Equal("undelivered", e.Data().Str("status"));
        Assert.Contains("could not deliver", e.Data().Str("reason"));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task AQueuedTextStoppedByTheOutboxGuardHasAFailedEvent(Store store)
    {
        await using var app = await MessagesApp.StartAsync(store);
        var at = app.App.Time.GetUtcNow().AddHours(2);
        var (response, _) = await app.PostAsync("/v2/messages/bulk",
            new { departmentCode = "SS", messageContent = "Later", recipients = new[] { new { uniqueCampusId = "P1" } }, scheduledFor = at });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var texts = await app.Contacts.GetAsync("/simulator/api/messages?mobileNumber=7165550101");
        var id = Assert.Single(texts.EnumerateArray()).GetProperty("id").GetInt64();

        // The student texts STOP while the text waits; at its time the outbox's guard fails it.
        var (reply, _) = await app.PostAsync("/simulator/api/reply", new { mobileNumber = "716-555-0101", body = "STOP" });
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        app.App.Time.Advance(TimeSpan.FromHours(2));

        Assert.True(await Eventually.TrueAsync(async () => (await StatusEventsAsync(app.App, id)).Count > 0, TimeSpan.FromSeconds(10)));
        var e = Assert.Single(await StatusEventsAsync(app.App, id));
        Assert.Equal("failed", e.Data().Str("status"));
        Assert.Contains("STOP", e.Data().Str("reason"));
        Assert.Equal("P1", e.GetProperty("contact").Str("uniqueCampusId"));
    }

    [Fact]
    public async Task DeletingAContactFailsItsQueuedTextWithAnEventNamingTheContact()
    {
        await using var app = await MessagesApp.StartAsync(Store.Sqlite);
        var (response, _) = await app.PostAsync("/v2/messages/bulk", new
        {
            departmentCode = "SS", messageContent = "Later", recipients = new[] { new { uniqueCampusId = "P2" } },
            scheduledFor = app.App.Time.GetUtcNow().AddHours(2),
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = Assert.Single((await app.Contacts.GetAsync("/simulator/api/messages?mobileNumber=7165550102")).EnumerateArray()).GetProperty("id").GetInt64();

        var deleted = await app.Client.DeleteAsync("/v2/contacts/SS/by-id/P2", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var e = Assert.Single(await StatusEventsAsync(app.App, id));
        Assert.Equal("failed", e.Data().Str("status"));
        Assert.Equal("contact deleted", e.Data().Str("reason"));
        Assert.Equal("Bob", e.GetProperty("contact").Str("firstName"));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task ATextLeftSendingByACrashEndsUnknownWithOneEvent(Store store)
    {
        await using var app = await MessagesApp.StartAsync(store);
        var id = await app.App.WithServicesAsync(async (services, organization) =>
        {
            var db = services.GetRequiredService<Cadence.Data.CadenceDb>();
            var contact = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Contacts, c => c.UniqueCampusId == "P1");
            var now = app.App.Time.GetUtcNow().UtcDateTime;
            var message = new Cadence.Messages.Message
            {
                OrganizationId = organization.Id, TeamId = contact.TeamId, ContactId = contact.Id, Direction = "outbound", MobileNumber = contact.MobileNumber,
                Body = "in flight at the crash", Status = "sending", SendingAt = now, CreatedAt = now, UpdatedAt = now,
            };
            db.Messages.Add(message);
            await db.SaveChangesAsync();
            return message.Id;
        });

        app.App.Time.Advance(TimeSpan.FromDays(1)); // past the sending lease and the recovery interval

        Assert.True(await Eventually.TrueAsync(async () => (await StatusEventsAsync(app.App, id)).Count > 0, TimeSpan.FromSeconds(10)));
        var e = Assert.Single(await StatusEventsAsync(app.App, id));
        Assert.Equal("failed", e.Data().Str("status"));
        Assert.Equal("delivery state unknown", e.Data().Str("reason"));
    }
}
