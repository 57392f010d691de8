using System.Net;
using Cadence.Credentials;
using Cadence.Tests.Contacts;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Messages;

public sealed class SendTests
{
    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task CreateAndSendTextsTheContactWithMergeFieldsFilled(Store store)
    {
        await using var m = await MessagesApp.StartAsync(store);

        var (response, body) = await m.PostAsync("/v2/messages/CreateAndSend",
            new { departmentCode = "SS", mobileNumber = "(716) 555-0101", messageContent = "Hi {FirstName} {LastName}, how is {Major}?", staffId = "S100" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("queued", body.Str("status"));
        Assert.Equal("Hi Ada Lovelace, how is Math?", body.Str("messageContent"));
        Assert.Equal(("SS", "1-716-555-0101", 1), (body.Str("departmentCode"), body.Str("mobileNumber"), body.Int("segments")));
        var phone = await m.PhoneAsync("7165550101");
        var text = Assert.Single(phone.EnumerateArray());
        Assert.Equal(("Hi Ada Lovelace, how is Math?", "delivered"), (text.Str("body"), text.Str("status")));
        var stored = await m.Contacts.GetAsync($"/v2/messages/{body.GetProperty("id").GetInt64()}");
        Assert.Equal("delivered", stored.Str("status"));
    }

    [Fact]
    public async Task AUniqueCampusIdMayStandForTheNumber()
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);

        var (response, body) = await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", uniqueCampusId = "P2", messageContent = "Hello" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1-716-555-0102", body.Str("mobileNumber"));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task ARetryWithTheSameIdempotencyKeyTextsNobodyAgain(Store store)
    {
        await using var m = await MessagesApp.StartAsync(store);
        var send = new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = "Your advising appointment is tomorrow." };

        var (first, firstBody) = await m.PostAsync("/v2/messages/CreateAndSend", send, "retry-1");
        var (second, secondBody) = await m.PostAsync("/v2/messages/CreateAndSend", send, "retry-1");
        var (other, _) = await m.PostAsync("/v2/messages/CreateAndSend", send with { messageContent = "Something else" }, "retry-1");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(firstBody.GetRawText(), secondBody.GetRawText());
        await ProblemAssert.IsProblemAsync(other, HttpStatusCode.UnprocessableEntity);
        Assert.Single((await m.PhoneAsync("7165550101")).EnumerateArray());
    }

    [Fact]
    public async Task AnOptedOutContactIsNeverTexted()
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);

        var (response, _) = await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550103", messageContent = "Hi" });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains("opted out", problem.GetProperty("detail").GetString());
        Assert.Empty((await m.PhoneAsync("7165550103")).EnumerateArray());
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData("{Nickname}, hi", "{Nickname}")]
    public async Task ABadBodyIsA400NamingTheProblem(string text, string message)
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);

        var (response, body) = await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = text });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(message, body.Str("detail"));
    }

    [Fact]
    public async Task ThreeHundredSixCharactersIsTheLimit()
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);

        var (ok, okBody) = await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = new string('a', 306) });
        var (tooLong, _) = await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = new string('a', 307) });

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(2, okBody.Int("segments"));
        await ProblemAssert.IsProblemAsync(tooLong, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AContactWithoutAValueForAMergeFieldIsNotSentAHalfFilledText()
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);

        var (response, body) = await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550102", messageContent = "Your major: {Major}" });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("{Major}", body.Str("detail"));
    }

    [Theory]
    [InlineData("{\"departmentCode\": \"SS\", \"mobileNumber\": \"7165550101\"", HttpStatusCode.BadRequest)]
    [InlineData("[]", HttpStatusCode.BadRequest)]
    [InlineData("{\"departmentCode\": \"NOPE\", \"mobileNumber\": \"7165550101\", \"messageContent\": \"x\"}", HttpStatusCode.NotFound)]
    [InlineData("{\"mobileNumber\": \"7165550101\", \"messageContent\": \"x\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"departmentCode\": \"SS\", \"mobileNumber\": \"716-CALL-NOW\", \"messageContent\": \"x\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"departmentCode\": \"SS\", \"mobileNumber\": \"7165550199\", \"messageContent\": \"x\"}", HttpStatusCode.NotFound)]
    public async Task BadRequestsGetAClear4xx(string json, HttpStatusCode status)
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);

        var response = await m.Client.PostAsync("/v2/messages/CreateAndSend",
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        await ProblemAssert.IsProblemAsync(response, status);
    }

    [Fact]
    public async Task SendingNeedsMessagesSendAndReadingNeedsMessagesRead()
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);
        using var readOnly = m.App.Http(await m.App.CreateCredentialAsync(scopes: [Scope.MessagesRead]));
        using var otherTeam = m.App.Http(await m.App.CreateCredentialAsync(teams: ["SS"], scopes: [Scope.ContactsRead]));

        var (refused, _) = await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = "x" }, client: readOnly);
        var list = await otherTeam.GetAsync("/v2/messages", TestContext.Current.CancellationToken);

        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Forbidden, "scope_missing");
        await ProblemAssert.IsProblemAsync(list, HttpStatusCode.Forbidden, "scope_missing");
    }

    [Fact]
    public async Task ADailyCapStopsAStolenCredentialFromTextingWithoutEnd()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite, new() { ["Cadence:DailyMessageCap"] = "2" });
        using var client = await app.TeamClientAsync();
        var ct = TestContext.Current.CancellationToken;
        await client.PostAsync("/v2/contacts/SS/import", System.Net.Http.Json.JsonContent.Create(new { contacts = new[] { ContactsApp.Row("P1") } }), ct);

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            responses.Add(await client.PostAsync("/v2/messages/CreateAndSend",
                System.Net.Http.Json.JsonContent.Create(new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = $"Text {i}" }), ct));
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], responses.Select(r => r.StatusCode));
        await ProblemAssert.IsProblemAsync(responses[2], HttpStatusCode.TooManyRequests, "daily_cap_reached");
        // The test clock stands at noon UTC: the cap lifts at midnight, twelve hours on.
        Assert.Equal(TimeSpan.FromHours(12), responses[2].Headers.RetryAfter?.Delta);
    }
}
