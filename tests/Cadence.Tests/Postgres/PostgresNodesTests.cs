using System.Diagnostics;
using System.Net;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Postgres;

/// <summary>Several identical nodes on one PostgreSQL database.</summary>
public sealed class PostgresNodesTests
{
    // The poll is slowed to ten minutes so that only LISTEN/NOTIFY can deliver the change in time.
    static Dictionary<string, string?> SlowPoll() => new() { ["Cadence:CredentialRecheckInterval"] = "00:10:00" };

    [Fact]
    public async Task RevokingOnOneNodeIsRefusedByTheOtherWithinOneSecond()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Postgres);
        await using var nodeA = await CadenceApp.StartAsync(database, SlowPoll());
        await using var nodeB = await CadenceApp.StartAsync(database, SlowPoll());
        var issued = await nodeA.CreateCredentialAsync();
        var ct = TestContext.Current.CancellationToken;
        using var clientB = nodeB.Http(issued);
        Assert.Equal(HttpStatusCode.OK, (await clientB.GetAsync("/v2/ping", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clientB.GetAsync("/v2/ping", ct)).StatusCode);

        await nodeA.RevokeAsync(issued.Credential.Key);
        var clock = Stopwatch.StartNew();

        var refused = await Eventually.TrueAsync(
            async () => (await clientB.GetAsync("/v2/ping", ct)).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(1));
        Assert.True(refused, $"Node B still accepted the revoked credential after {clock.ElapsedMilliseconds} ms.");
        await ProblemAssert.IsProblemAsync(await clientB.GetAsync("/v2/ping", ct), HttpStatusCode.Unauthorized, "credential_revoked");
    }

    [Fact]
    public async Task RollingOnOneNodeWorksOnTheOtherAtOnceWithTheOldSecretInGrace()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Postgres);
        await using var nodeA = await CadenceApp.StartAsync(database, SlowPoll());
        await using var nodeB = await CadenceApp.StartAsync(database, SlowPoll());
        var original = await nodeA.CreateCredentialAsync();
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(HttpStatusCode.OK, (await nodeB.Http(original).GetAsync("/v2/ping", ct)).StatusCode);

        var rolled = await nodeA.RollAsync(original.Credential.Key, TimeSpan.FromHours(1));

        Assert.Equal(HttpStatusCode.OK, (await nodeB.Http(rolled).GetAsync("/v2/ping", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await nodeB.Http(original).GetAsync("/v2/ping", ct)).StatusCode);
        nodeB.Time.Advance(TimeSpan.FromHours(1));
        await ProblemAssert.IsProblemAsync(await nodeB.Http(original).GetAsync("/v2/ping", ct), HttpStatusCode.Unauthorized, "secret_superseded");
    }

    [Fact]
    public async Task ServeRefusesADatabaseThatWasNotMigratedAndMigrateFixesIt()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Postgres);
        var noMigration = new Dictionary<string, string?> { ["Cadence:MigrateOnStart"] = "false" };

        await StartRefusal.AssertAsync(database, [], "cadence migrate");

        var migrate = await CliRunner.RunAsync(database, ["migrate"]);
        Assert.Equal(0, migrate.ExitCode);
        Assert.Contains("PostgreSQL", migrate.Out);
        await using var app = await CadenceApp.StartAsync(database, noMigration);
        Assert.Equal(HttpStatusCode.OK, (await app.Http().GetAsync("/readyz", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task CliCommandsOnAnUnmigratedDatabaseSaySoAndFail()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Postgres);

        var result = await CliRunner.RunAsync(database, ["teams", "list"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cadence migrate", result.Error);
    }

    [Fact]
    public async Task ANodeWithAnotherPepperRefusesToStart()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Postgres);
        await using var nodeA = await CadenceApp.StartAsync(database);

        await StartRefusal.AssertAsync(database, ["--Cadence:Pepper=" + new string('x', 40)], "pepper");
    }
}
