using System.Net;
using Cadence.Tests.Contacts;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Messages;

/// <summary>Rules of PRODUCT.md §4 and §5 that had no test of their own.</summary>
public sealed class MessageRuleTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARetriedBulkSendWithTheSameIdempotencyKeyQueuesNothingAgain()
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);
        var send = new { departmentCode = "SS", messageContent = "Classes resume Monday.", recipients = new[] { new { uniqueCampusId = "P1" }, new { uniqueCampusId = "P2" } } };

        var (first, firstBody) = await m.PostAsync("/v2/messages/bulk", send, "bulk-retry-1");
        var (second, secondBody) = await m.PostAsync("/v2/messages/bulk", send, "bulk-retry-1");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(2, firstBody.Int("queued"));
        Assert.Equal(firstBody.GetRawText(), secondBody.GetRawText());
        Assert.Single((await m.PhoneAsync("7165550101")).EnumerateArray());
        Assert.Single((await m.PhoneAsync("7165550102")).EnumerateArray());
    }

    [Fact]
    public async Task AFieldThatIsNotMergeableCannotBeMergedIntoAText()
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);

        var (response, _) = await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = "Your advisor is {Advisor}." });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("{Advisor}", problem.GetProperty("detail").GetString());
        Assert.Empty((await m.PhoneAsync("7165550101")).EnumerateArray());
    }

    [Fact]
    public async Task OptingOutIsPerTeamAnotherTeamMayStillText()
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);
        await m.App.AddTeamAsync("FA", "Financial aid");
        await m.Contacts.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", mobile: "716-555-0101") } }, team: "FA");
        Assert.Equal(HttpStatusCode.OK, (await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = "Hi from SS" })).Response.StatusCode);

        // The reply goes to the team that texted last: Student Success.
        await m.PostAsync("/simulator/api/reply", new { mobileNumber = "7165550101", body = "STOP" });

        Assert.True((await m.Contacts.GetAsync("/v2/contacts/SS/7165550101")).GetProperty("optedOut").GetBoolean());
        Assert.False((await m.Contacts.GetAsync("/v2/contacts/FA/7165550101")).GetProperty("optedOut").GetBoolean());
        var (fromAid, body) = await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "FA", mobileNumber = "7165550101", messageContent = "Your aid is ready" });
        Assert.Equal(HttpStatusCode.OK, fromAid.StatusCode);
        Assert.NotEqual("skipped", body.Str("status"));
        var (fromSuccess, _) = await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = "Hi again" });
        await ProblemAssert.IsProblemAsync(fromSuccess, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task ABlankOptedOutCellInACsvKeepsTheStoredStatus()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);
        await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", optedOut: true) } });

        var report = await c.ImportTextAsync("ContactId,FirstName,LastName,MobileNumber,OptedOut\r\nP1,Ada,Byron,7165550101,\r\n", "text/csv");

        Assert.Equal(1, report.Int("updated"));
        var contact = await c.GetAsync("/v2/contacts/SS/by-id/P1");
        Assert.Equal("Byron", contact.Str("lastName"));
        Assert.True(contact.GetProperty("optedOut").GetBoolean());
    }

    [Fact]
    public async Task JsonSentWithoutAContentTypeIsStillRead()
    {
        // What Python's requests.post(url, data=json.dumps(body)) sends; the hosted API takes it.
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);
        async Task<HttpResponseMessage> PostAsync(string path, string json)
        {
            var content = new StringContent(json);
            content.Headers.ContentType = null;
            return await m.Client.PostAsync(path, content, Ct);
        }

        var send = await PostAsync("/v2/messages/CreateAndSend", """{"departmentCode": "SS", "mobileNumber": "7165550101", "messageContent": "Hi"}""");
        var contact = await PostAsync("/v2/contacts/SS", """{"uniqueCampusId": "P7", "firstName": "Ada", "lastName": "King", "mobileNumber": "7165550107"}""");
        var import = await PostAsync("/v2/contacts/SS/import", """{"contacts": [{"uniqueCampusId": "P8", "firstName": "Al", "lastName": "Turing", "mobileNumber": "7165550108"}]}""");
        var wrongType = await m.Client.PostAsync("/v2/messages/CreateAndSend", new StringContent("{}", System.Text.Encoding.UTF8, "text/plain"), Ct);

        Assert.Equal(HttpStatusCode.OK, send.StatusCode);
        Assert.Equal(HttpStatusCode.OK, contact.StatusCode);
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        await ProblemAssert.IsProblemAsync(wrongType, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task NumbersAreTakenWhereTheApiExpectsAPhoneNumberOrAnIdAsText()
    {
        // Scripts that read a number column send 7165550101, not "7165550101"; the imports take both already.
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);

        var (single, body) = await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = 7165550101L, messageContent = "Hi" });
        var (bulk, bulkBody) = await m.PostAsync("/v2/messages/bulk", new { departmentCode = "SS", messageContent = "Hi", recipients = new[] { new { mobileNumber = 7165550102L } } });
        var (wrong, _) = await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = new[] { 1 }, messageContent = "Hi" });

        Assert.Equal(HttpStatusCode.OK, single.StatusCode);
        Assert.Equal("1-716-555-0101", body.Str("mobileNumber"));
        Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);
        Assert.Equal(1, bulkBody.Int("queued"));
        await ProblemAssert.IsProblemAsync(wrong, HttpStatusCode.BadRequest);
    }
}
