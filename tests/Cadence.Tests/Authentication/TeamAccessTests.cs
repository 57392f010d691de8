using System.Net;
using System.Text.Json;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Authentication;

public sealed class TeamAccessTests
{
    [Fact]
    public async Task TeamsListShowsOnlyTheTeamsACredentialMayUse()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        await app.AddTeamAsync("SS", "Student Success");
        await app.AddTeamAsync("ADM", "Admissions");
        var restricted = await app.CreateCredentialAsync(teams: ["ss"]);
        var everything = await app.CreateCredentialAsync();
        var ct = TestContext.Current.CancellationToken;

        var some = JsonDocument.Parse(await app.Http(restricted).GetStringAsync("/v2/teams", ct)).RootElement;
        var all = JsonDocument.Parse(await app.Http(everything).GetStringAsync("/v2/teams", ct)).RootElement;

        Assert.Equal(["SS"], some.EnumerateArray().Select(t => t.GetProperty("departmentCode").GetString()));
        Assert.Equal(["ADM", "SS"], all.EnumerateArray().Select(t => t.GetProperty("departmentCode").GetString()));
    }

    [Fact]
    public async Task TeamNotGrantedGets403AndLearnsNothingAboutIt()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        await app.AddTeamAsync("SS");
        await app.AddTeamAsync("ADM");
        var restricted = await app.CreateCredentialAsync(teams: ["SS"]);
        var ct = TestContext.Current.CancellationToken;

        var granted = await app.Http(restricted).GetAsync("/v2/teams/ss", ct);
        var existing = await app.Http(restricted).GetAsync("/v2/teams/ADM", ct);
        var missing = await app.Http(restricted).GetAsync("/v2/teams/NOPE", ct);

        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        var a = await ProblemAssert.IsProblemAsync(existing, HttpStatusCode.Forbidden, "team_not_granted");
        var b = await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.Forbidden, "team_not_granted");
        Assert.Equal(a.GetProperty("title").GetString(), b.GetProperty("title").GetString());
    }

    [Fact]
    public async Task UnknownTeamIsA404ForACredentialOfAllTeams()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        var issued = await app.CreateCredentialAsync();

        var response = await app.Http(issued).GetAsync("/v2/teams/NOPE", TestContext.Current.CancellationToken);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "team_not_found");
    }
}
