using System.Net;
using System.Net.Http.Json;
using Cadence.Tests.Contacts;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Messages;

/// <summary>
/// PRODUCT.md §3 on the messages API (a credential limited to other teams reaches none of this team's
/// messages), and bad text that must never give a 500 on either database.
/// </summary>
public sealed class MessageAccessAndInputTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task ACredentialOfAnotherTeamCanNeitherSendNorReadThisTeamsMessages(Store store)
    {
        await using var m = await MessagesApp.StartAsync(store);
        await m.App.AddTeamAsync("OT", "Other team");
        var (sent, message) = await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = "Hi" });
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        using var other = m.App.Http(await m.App.CreateCredentialAsync(teams: ["OT"]));

        var (single, _) = await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = "x" }, client: other);
        var (bulk, _) = await m.PostAsync("/v2/messages/bulk", new { departmentCode = "ss", messageContent = "x", recipients = new[] { new { mobileNumber = "7165550101" } } }, client: other);
        var listOfTeam = await other.GetAsync("/v2/messages?departmentCode=SS", Ct);
        var listOfAll = await other.GetFromJsonAsync<System.Text.Json.JsonElement>("/v2/messages", Ct);
        var one = await other.GetAsync($"/v2/messages/{message.GetProperty("id").GetInt64()}", Ct);

        await ProblemAssert.IsProblemAsync(single, HttpStatusCode.Forbidden, "team_not_granted");
        await ProblemAssert.IsProblemAsync(bulk, HttpStatusCode.Forbidden, "team_not_granted");
        await ProblemAssert.IsProblemAsync(listOfTeam, HttpStatusCode.Forbidden, "team_not_granted");
        Assert.Equal(0, listOfAll.GetProperty("messages").GetArrayLength());
        // By id it is "not found", not "forbidden": ids are sequential, and a 403 would confirm that a message exists.
        await ProblemAssert.IsProblemAsync(one, HttpStatusCode.NotFound, "message_not_found");
        Assert.Single((await m.PhoneAsync("7165550101")).EnumerateArray());
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task AControlCharacterInATextIsRefused(Store store)
    {
        await using var m = await MessagesApp.StartAsync(store);

        var (single, _) = await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = "Hi\u0000there" });
        var (bulk, _) = await m.PostAsync("/v2/messages/bulk", new { departmentCode = "SS", messageContent = "Bell\u0007", recipients = new[] { new { mobileNumber = "7165550101" } } });
        var (lineBreaks, _) = await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = "Line one\r\nLine\ttwo" });

        var problem = await ProblemAssert.IsProblemAsync(single, HttpStatusCode.BadRequest);
        Assert.Contains("U+0000", problem.GetProperty("detail").GetString());
        await ProblemAssert.IsProblemAsync(bulk, HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.OK, lineBreaks.StatusCode);
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task ANulCharacterAnywhereIsAClientErrorNeverA500(Store store)
    {
        await using var m = await MessagesApp.StartAsync(store);
        var nul = "\u0000";

        var answers = new List<(string What, HttpStatusCode Status)>();
        async Task PostAsync(string what, string path, object body) => answers.Add((what, (await m.PostAsync(path, body)).Response.StatusCode));
        async Task GetAsync(string what, string path) => answers.Add((what, (await m.Client.GetAsync(path, Ct)).StatusCode));

        await PostAsync("staffId", "/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = "x", staffId = nul });
        await PostAsync("groupAccountCode", "/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = "x", groupAccountCode = "a" + nul });
        await PostAsync("uniqueCampusId", "/v2/messages/CreateAndSend", new { departmentCode = "SS", uniqueCampusId = "P" + nul, messageContent = "x" });
        await PostAsync("departmentCode", "/v2/messages/CreateAndSend", new { departmentCode = "S" + nul, mobileNumber = "7165550101", messageContent = "x" });
        await PostAsync("bulk uniqueCampusId", "/v2/messages/bulk", new { departmentCode = "SS", messageContent = "x", recipients = new[] { new { uniqueCampusId = "P" + nul } } });
        await GetAsync("status", "/v2/messages?status=%00");
        await GetAsync("direction", "/v2/messages?direction=%00");
        await GetAsync("list departmentCode", "/v2/messages?departmentCode=%00");
        await GetAsync("contacts cursor", "/v2/contacts/SS?cursor=%00");
        await GetAsync("contact by id", "/v2/contacts/SS/by-id/P%00");
        await PostAsync("simulator reply", "/simulator/api/reply", new { mobileNumber = "7165550101", body = "hi" + nul });
        var import = await m.Contacts.ImportAsync(new { contacts = new[] { ContactsApp.Row("P9", mobile: "716-555-0109", customFields: new { Major = "Math" + nul }) } });

        Assert.All(answers, a => Assert.True((int)a.Status < 500, $"{a.What}: {(int)a.Status}"));
        Assert.Equal(1, import.Int("failed"));
        Assert.Contains("NUL", import.GetProperty("errors")[0].GetProperty("reason").GetString());
    }
}
