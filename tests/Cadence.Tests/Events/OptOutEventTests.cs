using System.Net;
using System.Net.Http.Json;
using Cadence.Contacts;
using Cadence.Events;
using Cadence.Tests.Contacts;
using Cadence.Tests.Infrastructure;
using Cadence.Tests.Messages;

namespace Cadence.Tests.Events;

public sealed class OptOutEventTests
{
    static async Task ReplyAsync(MessagesApp app, string body, string from = "716-555-0101")
    {
        var (response, _) = await app.PostAsync("/simulator/api/reply", new { mobileNumber = from, body });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task AStopTextIsReceivedOnceAndOptsOutOnceAndARepeatedStopOptsOutNoMore(Store store)
    {
        await using var app = await MessagesApp.StartAsync(store);

        await ReplyAsync(app, "STOP");
        await ReplyAsync(app, "stop");

        var received = await app.App.StoredAsync(EventTypes.MessageReceived);
        Assert.Equal(2, received.Count);
        Assert.Equal("STOP", received[0].Data().Str("body"));
        Assert.Equal("SS", received[0].Str("departmentCode"));
        Assert.Equal("P1", received[0].GetProperty("contact").Str("uniqueCampusId"));
        Assert.Equal("1-716-555-0101", received[0].Data().Str("mobileNumber"));
        var optedOut = Assert.Single(await app.App.StoredAsync(EventTypes.ContactOptedOut), e => e.Data().Str("source") == "keyword");
        Assert.Equal("Ada", optedOut.GetProperty("contact").Str("firstName"));
        Assert.Equal("Lovelace", optedOut.GetProperty("contact").Str("lastName"));
        Assert.StartsWith("evt_", optedOut.Str("id"));
        Assert.Empty(await app.App.StoredAsync(EventTypes.ContactOptedIn));
    }

    [Fact]
    public async Task StartAfterStopOptsInOnceAndAnOrdinaryTextIsOnlyReceived()
    {
        await using var app = await MessagesApp.StartAsync(Store.Sqlite);

        await ReplyAsync(app, "STOP");
        await ReplyAsync(app, "START");
        await ReplyAsync(app, "start");
        await ReplyAsync(app, "Please stop texting me");

        var optedIn = Assert.Single(await app.App.StoredAsync(EventTypes.ContactOptedIn));
        Assert.Equal("keyword", optedIn.Data().Str("source"));
        Assert.Single(await app.App.StoredAsync(EventTypes.ContactOptedOut), e => e.Data().Str("source") == "keyword");
        Assert.Equal(4, (await app.App.StoredAsync(EventTypes.MessageReceived)).Count);
    }

    [Fact]
    public async Task ATextFromANumberNoTeamKnowsHasNoTeamAndNoContact()
    {
        await using var app = await MessagesApp.StartAsync(Store.Sqlite);

        await ReplyAsync(app, "who is this?", from: "716-555-0199");

        var received = Assert.Single(await app.App.StoredAsync(EventTypes.MessageReceived));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, received.GetProperty("departmentCode").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, received.GetProperty("contact").ValueKind);
        Assert.Equal("1-716-555-0199", received.Data().Str("mobileNumber"));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task AnImportWritesAnOptOutEventOnlyForARowThatChangesTheStatus(Store store)
    {
        await using var app = await ContactsApp.StartAsync(store);
        var rows = new object[]
        {
            ContactsApp.Row("P1", "Ada", mobile: "716-555-0101", optedOut: false),
            ContactsApp.Row("P2", "Bob", mobile: "716-555-0102", optedOut: true),
            ContactsApp.Row("P3", "Cy", mobile: "716-555-0103"),
        };
        await app.ImportAsync(new { contacts = rows });
        var first = Assert.Single(await app.App.StoredAsync(EventTypes.ContactOptedOut));
        Assert.Equal("P2", first.GetProperty("contact").Str("uniqueCampusId"));
        Assert.Equal("import", first.Data().Str("source"));

        // The same rows again (P2 stays opted out, P3 has no column): nothing changes, no opt-out event.
        await app.ImportAsync(new { contacts = rows });
        Assert.Single(await app.App.StoredAsync(EventTypes.ContactOptedOut));
        Assert.Empty(await app.App.StoredAsync(EventTypes.ContactOptedIn));

        await app.ImportAsync(new { contacts = new[] { ContactsApp.Row("P2", "Bob", mobile: "716-555-0102", optedOut: false) } });
        var optedIn = Assert.Single(await app.App.StoredAsync(EventTypes.ContactOptedIn));
        Assert.Equal("P2", optedIn.GetProperty("contact").Str("uniqueCampusId"));
        Assert.Equal(3, (await app.App.StoredAsync(EventTypes.ImportCompleted)).Count);
        // Each opt-out event matches a history row: both come from the same write.
        Assert.Equal(2, (await app.OptOutChangesAsync()).Count);
    }

    [Fact]
    public async Task TheSingleContactCallWritesAnApiSourcedEventAndNoImportReport()
    {
        await using var app = await ContactsApp.StartAsync(Store.Sqlite);

        var response = await app.Client.PostAsJsonAsync("/v2/contacts/SS", ContactsApp.Row("P9", "Ida", mobile: "716-555-0109", optedOut: true),
            TestContext.Current.CancellationToken);
        await ContactsApp.Expect(response, HttpStatusCode.OK);

        var optedOut = Assert.Single(await app.App.StoredAsync(EventTypes.ContactOptedOut));
        Assert.Equal("api", optedOut.Data().Str("source"));
        Assert.Empty(await app.App.StoredAsync(EventTypes.ImportCompleted));
    }

    [Fact]
    public async Task AFailedImportWritesNoEvent()
    {
        await using var app = await ContactsApp.StartAsync(Store.Sqlite);

        // Two rows give one number to two contacts: the second fails, the first is imported opted out.
        await app.ImportAsync(new
        {
            contacts = new[]
            {
                ContactsApp.Row("P1", mobile: "716-555-0101", optedOut: true), ContactsApp.Row("P1", mobile: "716-555-0102", optedOut: true),
            },
        });
        Assert.Single(await app.App.StoredAsync(EventTypes.ContactOptedOut));

        // A refused body (not JSON) writes no event at all.
        await app.ImportTextAsync("{", "application/json", HttpStatusCode.BadRequest);
        Assert.Single(await app.App.StoredAsync(EventTypes.ImportCompleted));
    }

    [Fact]
    public async Task TheConsoleHelperWritesAConsoleSourcedEventOnlyWhenTheStatusChanges()
    {
        await using var app = await MessagesApp.StartAsync(Store.Sqlite);

        var changed = await app.App.WithServicesAsync(async (services, _) =>
        {
            var db = services.GetRequiredService<Cadence.Data.CadenceDb>();
            var contact = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Contacts, c => c.UniqueCampusId == "P2");
            var now = app.App.Time.GetUtcNow().UtcDateTime;
            var results = new[] { db.ChangeOptOut(contact, "SS", true, OptOutEvents.Console, now), db.ChangeOptOut(contact, "SS", true, OptOutEvents.Console, now) };
            await db.SaveChangesAsync();
            return results;
        });

        Assert.Equal([true, false], changed);
        var e = Assert.Single(await app.App.StoredAsync(EventTypes.ContactOptedOut), e => e.Data().Str("source") == "console");
        Assert.Equal("P2", e.GetProperty("contact").Str("uniqueCampusId"));
        Assert.Equal("console", (await app.Contacts.OptOutChangesAsync())[^1].Source);
    }
}
