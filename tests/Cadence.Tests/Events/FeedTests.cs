using System.Net;
using Cadence.Data;
using Cadence.Events;
using Cadence.Teams;
using Cadence.Tests.Contacts;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Events;

public sealed class FeedTests
{
    /// <summary>Writes events as a producer would, one transaction per call; returns their ids in order.</summary>
    static Task<List<string>> WriteAsync(CadenceApp app, Team? team, string type, int count) => app.WithServicesAsync(async (services, organization) =>
    {
        var db = services.GetRequiredService<CadenceDb>();
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(db.Append(organization.Id, team?.Id, team?.DepartmentCode, type, app.Time.GetUtcNow().UtcDateTime,
                new EventContact($"P{i}", "Ada", "Lovelace", "1-716-555-0101"), new OptOutData("test")).PublicId);
        }
        await db.SaveChangesAsync();
        return ids;
    });

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task TheFeedPagesOldestFirstWithAnOpaqueCursorAndEndsOnAShortPage(Store store)
    {
        await using var app = await CadenceApp.StartAsync(store);
        var team = await app.AddTeamAsync("SS");
        var written = await WriteAsync(app, team, EventTypes.ContactOptedOut, 5);
        using var client = app.Http(await app.CreateCredentialAsync());

        await client.VisibleAsync(written.Count);
        var seen = await client.WholeFeedAsync(limit: 2);
        Assert.Equal(written, seen.Select(e => e.Str("id")));

        // A poller keeps the last cursor: nothing new yet, the same cursor back; then exactly the new event.
        var last = await client.FeedAsync("limit=5");
        var cursor = last.Str("nextCursor")!;
        var empty = await client.FeedAsync("after=" + cursor);
        Assert.Empty(empty.GetProperty("events").EnumerateArray());
        Assert.Equal(cursor, empty.Str("nextCursor"));
        var later = await WriteAsync(app, team, EventTypes.ContactOptedIn, 1);
        await client.VisibleAsync(written.Count + 1);
        var next = await client.FeedAsync("after=" + cursor);
        Assert.Equal(later, next.GetProperty("events").EnumerateArray().Select(e => e.Str("id")));
        Assert.Equal(6, (await client.FeedAsync()).GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task ACredentialSeesOnlyItsTeamsEventsAndAnAllTeamsOneAlsoTeamlessOnes()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        var ss = await app.AddTeamAsync("SS");
        var fa = await app.AddTeamAsync("FA");
        var ssIds = await WriteAsync(app, ss, EventTypes.ContactOptedOut, 2);
        var faIds = await WriteAsync(app, fa, EventTypes.ContactOptedOut, 2);
        var none = await WriteAsync(app, null, EventTypes.MessageReceived, 1);
        using var ssOnly = app.Http(await app.CreateCredentialAsync("SS only", teams: ["SS"]));
        using var everyTeam = app.Http(await app.CreateCredentialAsync("All"));

        Assert.Equal(ssIds, (await ssOnly.WholeFeedAsync()).Select(e => e.Str("id")));
        Assert.Equal([.. ssIds, .. faIds, .. none], (await everyTeam.WholeFeedAsync()).Select(e => e.Str("id")));
        Assert.Equal(faIds, (await everyTeam.WholeFeedAsync("&departmentCode=fa")).Select(e => e.Str("id")));
        EventsApp.ProblemCode(await ssOnly.FeedAsync("departmentCode=FA", HttpStatusCode.Forbidden), "team_not_granted");
        EventsApp.ProblemCode(await everyTeam.FeedAsync("departmentCode=NOPE", HttpStatusCode.NotFound), "team_not_found");
    }

    [Fact]
    public async Task ReadScopesDecideWhichKindsOfEventsAreSeen()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        var team = await app.AddTeamAsync("SS");
        var contact = await WriteAsync(app, team, EventTypes.ContactOptedOut, 1);
        var import = await WriteAsync(app, team, EventTypes.ImportCompleted, 1);
        var message = await WriteAsync(app, team, EventTypes.MessageStatusChanged, 1);
        var revoked = await WriteAsync(app, team, EventTypes.CredentialRevoked, 1);
        using var contactsReader = app.Http(await app.CreateCredentialAsync("c", scopes: ["contacts:read"]));
        using var messagesReader = app.Http(await app.CreateCredentialAsync("m", scopes: ["messages:read"]));
        using var sender = app.Http(await app.CreateCredentialAsync("s", scopes: ["messages:send", "contacts:write"]));

        Assert.Equal([.. contact, .. import, .. revoked], (await contactsReader.WholeFeedAsync()).Select(e => e.Str("id")));
        Assert.Equal([.. message, .. revoked], (await messagesReader.WholeFeedAsync()).Select(e => e.Str("id")));
        Assert.Equal(message, (await messagesReader.WholeFeedAsync("&type=message.status_changed,message.received")).Select(e => e.Str("id")));
        Assert.Equal([.. contact, .. import], (await contactsReader.WholeFeedAsync("&type=contact.opted_out&type=import.completed")).Select(e => e.Str("id")));
        EventsApp.ProblemCode(await contactsReader.FeedAsync("type=message.received", HttpStatusCode.Forbidden), "scope_missing");
        EventsApp.ProblemCode(await sender.FeedAsync("", HttpStatusCode.Forbidden), "scope_missing");
    }

    [Theory]
    [InlineData("after=nonsense", "invalid_cursor")]
    [InlineData("after=42", "invalid_cursor")]
    [InlineData("after=AgAAAAAAAAAAAAAAAAAAAAA", "invalid_cursor")] // the right length, a version this server never wrote
    [InlineData("after=AQAAAAAAAAAA__________8", "invalid_cursor")] // a negative event id
    [InlineData("after=AQAAAAAAAAAAAAAAAAAAAAAx", "invalid_cursor")]
    [InlineData("type=contact.updated", "unknown_event_type")]
    [InlineData("type=contact.opted_out,,Contact.Nope", "unknown_event_type")]
    [InlineData("limit=0", "invalid_limit")]
    [InlineData("limit=1001", "invalid_limit")]
    [InlineData("limit=ten", "invalid_limit")]
    [InlineData("limit=-5", "invalid_limit")]
    public async Task BadFeedParametersAreProblemsThatSayWhat(string query, string code)
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        using var client = app.Http(await app.CreateCredentialAsync());

        var problem = await client.FeedAsync(query, HttpStatusCode.BadRequest);

        EventsApp.ProblemCode(problem, code);
        Assert.DoesNotContain("Exception", problem.GetRawText());
    }

    [Fact]
    public async Task ALimitOfAThousandIsAllowedAndTheDefaultIsAHundred()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        var team = await app.AddTeamAsync("SS");
        await WriteAsync(app, team, EventTypes.ContactOptedOut, 150);
        using var client = app.Http(await app.CreateCredentialAsync());

        Assert.Equal(100, (await client.FeedAsync()).GetProperty("events").GetArrayLength());
        Assert.Equal(150, (await client.FeedAsync("limit=1000")).GetProperty("events").GetArrayLength());
    }
}
