using System.Net;
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

    static Task<List<NumberOptOut>> EveryTeamRowsAsync(MessagesApp m) => m.App.WithServicesAsync((services, _) =>
        services.GetRequiredService<CadenceDb>().NumberOptOuts.AsNoTracking().Where(o => o.TeamId == NumberOptOut.EveryTeam).ToListAsync(Ct));
}
