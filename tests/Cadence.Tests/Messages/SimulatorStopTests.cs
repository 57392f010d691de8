using System.Net;
using System.Net.Http.Json;
using Cadence.Contacts;
using Cadence.Data;
using Cadence.Tests.Contacts;
using Cadence.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Tests.Messages;

/// <summary>STOP and START from numbers that are no contact (the every-team opt-out), through the simulator's reply API.</summary>
public sealed class SimulatorStopTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task StopsSentSideBySideFromANumberThatIsNoContactAllSucceedAndLeaveOneRow(Store store)
    {
        await using var m = await MessagesApp.StartAsync(store);

        for (var round = 0; round < 3; round++)
        {
            var number = $"212-555-01{90 + round}";
            var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => m.PostAsync("/simulator/api/reply", new { mobileNumber = number, body = "STOP" })));
            Assert.All(answers, a => Assert.True(a.Response.StatusCode == HttpStatusCode.OK, $"{(int)a.Response.StatusCode}: {a.Body}"));
        }

        var rows = await EveryTeamRowsAsync(m);
        Assert.Equal(["1-212-555-0190", "1-212-555-0191", "1-212-555-0192"], rows.Select(r => r.MobileNumber).Order());
        Assert.All(rows, r => Assert.Equal(NumberOptOut.Keyword, r.Source));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task AStartClearsTheEveryTeamStopOfANumberThatIsNoContact(Store store)
    {
        await using var m = await MessagesApp.StartAsync(store);
        await m.PostAsync("/simulator/api/reply", new { mobileNumber = "(212) 555-0199", body = "STOP" });
        Assert.Single(await EveryTeamRowsAsync(m));

        var (start, _) = await m.PostAsync("/simulator/api/reply", new { mobileNumber = "(212) 555-0199", body = "start" });

        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        Assert.Empty(await EveryTeamRowsAsync(m));
        await m.Contacts.ImportAsync(new { contacts = new[] { ContactsApp.Row("P7", "Dee", "Nguyen", "212-555-0199") } });
        Assert.False((await m.Contacts.GetAsync("/v2/contacts/SS/by-id/P7")).GetProperty("optedOut").GetBoolean());
    }

    [Fact]
    public async Task TheSimulatorRecordsStopsFromStrangersOnlyUpToItsCap()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite, new() { ["Cadence:SimulatorStrangerStops"] = "2" });
        using var client = await app.TeamClientAsync();
        async Task<HttpResponseMessage> Reply(string number, string body) =>
            await client.PostAsJsonAsync("/simulator/api/reply", new { mobileNumber = number, body }, Ct);

        Assert.Equal(HttpStatusCode.OK, (await Reply("212-555-0101", "STOP")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Reply("212-555-0102", "STOP")).StatusCode);
        var third = await Reply("212-555-0103", "STOP");
        var again = await Reply("212-555-0101", "STOP");
        var chat = await Reply("212-555-0103", "Hello?");
        await Reply("212-555-0101", "START");
        var afterStart = await Reply("212-555-0103", "STOP");

        await ProblemAssert.IsProblemAsync(third, HttpStatusCode.Conflict, "simulator_stop_limit");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterStart.StatusCode);
        Assert.Equal(2, await app.WithServicesAsync((services, _) => services.GetRequiredService<CadenceDb>().NumberOptOuts.CountAsync(Ct)));
    }

    [Fact]
    public async Task TheSimulatorShowsAndTakesRepliesOnlyForTheCallersTeams()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        using var admissions = await app.TeamClientAsync("ADM");
        await app.AddTeamAsync("SS");
        using var ssOnly = app.Http(await app.CreateCredentialAsync("SS only", teams: ["SS"]));
        (await admissions.PostAsJsonAsync("/v2/contacts/ADM/import", new { contacts = new[] { ContactsApp.Row("P1") } }, Ct)).EnsureSuccessStatusCode();
        (await admissions.PostAsJsonAsync("/v2/messages/CreateAndSend", new { departmentCode = "ADM", uniqueCampusId = "P1", messageContent = "Hi Ada" }, Ct))
            .EnsureSuccessStatusCode();

        var mine = await admissions.GetFromJsonAsync<List<object>>("/simulator/api/messages?mobileNumber=716-555-0101", Ct);
        var theirs = await ssOnly.GetFromJsonAsync<List<object>>("/simulator/api/messages?mobileNumber=716-555-0101", Ct);
        var reply = await ssOnly.PostAsJsonAsync("/simulator/api/reply", new { mobileNumber = "716-555-0101", body = "Hello?" }, Ct);

        Assert.Single(mine!);
        Assert.Empty(theirs!);
        await ProblemAssert.IsProblemAsync(reply, HttpStatusCode.Forbidden, "team_not_granted");
        Assert.Equal(0, await app.WithServicesAsync((services, _) => services.GetRequiredService<CadenceDb>().Messages.CountAsync(m => m.Direction == "inbound", Ct)));
    }

    [Fact]
    public async Task TheSimulatorTakesALimitedNumberOfRepliesAMinuteFromOneCredential()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite, new() { ["Cadence:SimulatorRepliesPerMinute"] = "3" });
        using var first = await app.TeamClientAsync();
        using var second = app.Http(await app.CreateCredentialAsync("Another"));

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await first.PostAsJsonAsync("/simulator/api/reply", new { mobileNumber = "212-555-0101", body = $"Hi {i}" }, Ct));
        }
        var other = await second.PostAsJsonAsync("/simulator/api/reply", new { mobileNumber = "212-555-0101", body = "Hi" }, Ct);

        Assert.All(answers.Take(3), a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        await ProblemAssert.IsProblemAsync(answers[3], HttpStatusCode.TooManyRequests, "simulator_rate_limited");
        Assert.NotNull(answers[3].Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    static Task<List<NumberOptOut>> EveryTeamRowsAsync(MessagesApp m) => m.App.WithServicesAsync((services, _) =>
        services.GetRequiredService<CadenceDb>().NumberOptOuts.AsNoTracking().Where(o => o.TeamId == NumberOptOut.EveryTeam).ToListAsync(Ct));
}
