using System.Net;
using Cadence.Data;
using Cadence.Tests.Contacts;
using Cadence.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Tests.Messages;

public sealed class BulkAndInboundTests
{
    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task ABulkSendTextsEachContactOnceAndReportsWhoWasSkipped(Store store)
    {
        await using var m = await MessagesApp.StartAsync(store);

        var (response, body) = await m.PostAsync("/v2/messages/bulk", new
        {
            departmentCode = "SS",
            messageContent = "Registration opens Monday, {FirstName}.",
            recipients = new object[]
            {
                new { mobileNumber = "716-555-0101" }, new { uniqueCampusId = "P1" }, new { uniqueCampusId = "P2" },
                new { uniqueCampusId = "P3" }, new { mobileNumber = "7165550199" },
            },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((2, 1), (body.Int("queued"), body.Int("duplicates")));
        Assert.Equal("P3", body.GetProperty("skippedOptedOut")[0].Str("recipient"));
        Assert.Equal("7165550199", body.GetProperty("notFound")[0].Str("recipient"));
        Assert.Single((await m.PhoneAsync("7165550101")).EnumerateArray());
        Assert.Single((await m.PhoneAsync("7165550102")).EnumerateArray());
        Assert.Empty((await m.PhoneAsync("7165550103")).EnumerateArray());
    }

    [Fact]
    public async Task ABulkSendOfMoreThan100000RecipientsIsA413AndQueuesNothing()
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);

        var (response, _) = await m.PostAsync("/v2/messages/bulk", new
        {
            departmentCode = "SS", messageContent = "x", recipients = Enumerable.Range(0, 100_001).Select(_ => new { uniqueCampusId = "P1" }),
        });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        var count = await m.App.WithServicesAsync((services, _) => services.GetRequiredService<CadenceDb>().Messages.CountAsync());
        Assert.Equal(0, count);
    }

    [Theory]
    [InlineData("STOP")]
    [InlineData(" stop ")]
    [InlineData("Unsubscribe")]
    [InlineData("QUIT")]
    public async Task AStopKeywordOptsTheContactOutAndSendsOneConfirmation(string reply)
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);
        await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = "Hi" });
        await m.PhoneAsync("7165550101");

        var (response, _) = await m.PostAsync("/simulator/api/reply", new { mobileNumber = "7165550101", body = reply });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await m.Contacts.GetAsync("/v2/contacts/SS/by-id/P1")).GetProperty("optedOut").GetBoolean());
        var phone = await m.PhoneAsync("7165550101");
        Assert.Equal(2, phone.GetArrayLength());
        Assert.Contains("unsubscribed", phone[1].Str("body"));
        var change = (await m.Contacts.OptOutChangesAsync()).Last();
        Assert.Equal(("keyword", true), (change.Source, change.NewValue));
        var (after, _) = await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = "Still there?" });
        Assert.Equal(HttpStatusCode.Conflict, after.StatusCode);
    }

    [Fact]
    public async Task PleaseStopTextingMeIsAnOrdinaryMessageAndStartOptsBackIn()
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);

        await m.PostAsync("/simulator/api/reply", new { mobileNumber = "7165550101", body = "Please stop texting me" });
        Assert.False((await m.Contacts.GetAsync("/v2/contacts/SS/by-id/P1")).GetProperty("optedOut").GetBoolean());
        await m.PostAsync("/simulator/api/reply", new { mobileNumber = "7165550103", body = "start" });

        Assert.False((await m.Contacts.GetAsync("/v2/contacts/SS/by-id/P3")).GetProperty("optedOut").GetBoolean());
        var inbound = await m.Contacts.GetAsync("/v2/messages?direction=inbound");
        Assert.Equal(2, inbound.GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task AFailingNumberEndsUndeliveredWithTheReason()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite, new() { ["Cadence:SimulatorFailNumbers:0"] = "716-555-0101" });
        using var client = await app.TeamClientAsync();
        var ct = TestContext.Current.CancellationToken;
        await client.PostAsync("/v2/contacts/SS/import", System.Net.Http.Json.JsonContent.Create(new { contacts = new[] { ContactsApp.Row("P1") } }), ct);

        var sent = await ContactsApp.Expect(await client.PostAsync("/v2/messages/CreateAndSend",
            System.Net.Http.Json.JsonContent.Create(new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = "Hi" }), ct), HttpStatusCode.OK);

        var id = sent.GetProperty("id").GetInt64();
        Assert.True(await Eventually.TrueAsync(async () =>
            (await client.GetStringAsync($"/v2/messages/{id}", ct)).Contains("\"status\":\"undelivered\""), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task MessagesAreListedNewestFirstAPageAtATime()
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);
        for (var i = 0; i < 5; i++)
        {
            await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = $"Text {i}" });
        }

        var first = await m.Contacts.GetAsync("/v2/messages?departmentCode=SS&limit=3");
        var second = await m.Contacts.GetAsync("/v2/messages?departmentCode=SS&limit=3&cursor=" + first.Str("nextCursor"));

        Assert.Equal(["Text 4", "Text 3", "Text 2"], first.GetProperty("messages").EnumerateArray().Select(x => x.Str("messageContent")));
        Assert.Equal(["Text 1", "Text 0"], second.GetProperty("messages").EnumerateArray().Select(x => x.Str("messageContent")));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
    }
}

public sealed class InboundFromStrangersTests
{
    [Fact]
    public async Task ATextFromAnUnknownNumberIsKeptAndListed()
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);

        var (response, body) = await m.PostAsync("/simulator/api/reply", new { mobileNumber = "(212) 555-0199", body = "Who is this?" });
        var inbound = await m.Contacts.GetAsync("/v2/messages?direction=inbound");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("departmentCode").ValueKind);
        var message = Assert.Single(inbound.GetProperty("messages").EnumerateArray());
        Assert.Equal(("1-212-555-0199", "Who is this?", "received"), (message.Str("mobileNumber"), message.Str("messageContent"), message.Str("status")));
    }
}

public sealed class SendTimeChecksTests
{
    [Fact]
    public async Task AStopBeforeAScheduledSendGoesOutCancelsItsText()
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);
        await m.PostAsync("/v2/messages/bulk", new
        {
            departmentCode = "SS", messageContent = "Reminder", recipients = new[] { new { uniqueCampusId = "P1" } }, scheduledFor = m.App.Time.GetUtcNow().AddHours(1),
        });

        await m.PostAsync("/simulator/api/reply", new { mobileNumber = "7165550101", body = "STOP" });
        await m.PostAsync("/simulator/api/reply", new { mobileNumber = "7165550101", body = "stop" });
        m.App.Time.Advance(TimeSpan.FromHours(1));

        var phone = await m.PhoneAsync("7165550101");
        Assert.Equal(2, phone.GetArrayLength()); // the reminder and one confirmation, however often STOP came
        Assert.Equal(("failed", "delivered"), (phone[0].Str("status"), phone[1].Str("status")));
        Assert.Contains("unsubscribed", phone[1].Str("body"));
    }

    [Fact]
    public async Task ATextTooLongOnceMergedIsRefusedNotTruncated()
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);
        await m.Contacts.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", "Ada", "Lovelace", "716-555-0101", customFields: new { Major = new string('M', 300) }) } });

        var (single, _) = await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = "Your major: {Major}" });
        var (bulk, body) = await m.PostAsync("/v2/messages/bulk", new { departmentCode = "SS", messageContent = "Your major: {Major}", recipients = new object[] { new { uniqueCampusId = "P1" }, null! } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, single.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bulk.StatusCode);
        Assert.Contains("recipient", body.Str("detail"));
    }

    [Fact]
    public async Task TheSimulatorShowsACredentialOnlyItsOwnTeamsTexts()
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);
        await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = "Hi" });
        await m.App.AddTeamAsync("ADM");
        using var admissions = m.App.Http(await m.App.CreateCredentialAsync(teams: ["ADM"]));
        var ct = TestContext.Current.CancellationToken;

        var texts = await admissions.GetStringAsync("/simulator/api/messages?mobileNumber=7165550101", ct);
        var reply = await admissions.PostAsync("/simulator/api/reply", System.Net.Http.Json.JsonContent.Create(new { mobileNumber = "7165550101", body = "STOP" }), ct);

        Assert.Equal("[]", texts);
        Assert.Equal(HttpStatusCode.Forbidden, reply.StatusCode);
        Assert.False((await m.Contacts.GetAsync("/v2/contacts/SS/by-id/P1")).GetProperty("optedOut").GetBoolean());
    }
}
