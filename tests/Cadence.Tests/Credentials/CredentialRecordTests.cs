using System.Net;
using Cadence.Credentials;
using Cadence.Data;
using Cadence.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Tests.Credentials;

public sealed class CredentialRecordTests
{
    [Fact]
    public async Task LastUseIsRecordedFromMemoryNotWrittenPerRequestAndFlushedAtShutdown()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        var app = await CadenceApp.StartAsync(database, new() { ["Cadence:LastUsedFlushInterval"] = "01:00:00" });
        var issued = await app.CreateCredentialAsync();
        var ct = TestContext.Current.CancellationToken;

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await app.Http(issued).GetAsync("/v2/ping", ct)).StatusCode);
        }

        var writes = app.Logs.Lines.Count(l => l.Contains("UPDATE \"Credentials\"") || l.Contains("UPDATE \"Credentials\" AS"));
        Assert.Equal(0, writes);
        Assert.Contains("\"lastUsedAt\": null", (await app.CliAsync("credentials", "list", "--json")).Out);

        await app.DisposeAsync();

        var list = await CliRunner.RunAsync(database, ["credentials", "list", "--json"]);
        Assert.Contains("\"lastUsedIp\": \"127.0.0.1\"", list.Out);
        Assert.Contains("\"lastUsedAt\": \"2026-09-01T12:00:00", list.Out);
    }

    [Fact]
    public async Task LastUseIsFlushedEveryFewSeconds()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        var issued = await app.CreateCredentialAsync();

        await app.Http(issued).GetAsync("/v2/ping", TestContext.Current.CancellationToken);

        Assert.True(await Eventually.TrueAsync(async () =>
            (await app.CliAsync("credentials", "list", "--json")).Out.Contains("\"lastUsedIp\": \"127.0.0.1\"")));
    }

    [Fact]
    public async Task CreateRollAndRevokeAreAudited()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        var issued = await app.CreateCredentialAsync("Slate sync");
        await app.RollAsync(issued.Credential.Key, TimeSpan.FromHours(1));
        await app.RevokeAsync(issued.Credential.Key, "vendor contract ended");
        Assert.Equal(0, (await app.CliAsync("credentials", "create", "--name", "from the shell")).ExitCode);

        var events = await app.WithServicesAsync((services, _) =>
            services.GetRequiredService<CadenceDb>().AuditEvents.OrderBy(e => e.Id).ToListAsync());

        Assert.Equal(["credential.created", "credential.rolled", "credential.revoked", "credential.created"], events.Select(e => e.Action));
        Assert.All(events.Take(3), e => Assert.Equal(issued.Credential.Key, e.Target));
        Assert.Equal("127.0.0.1", events[0].IpAddress);
        Assert.Contains("Slate sync", events[0].Detail);
        Assert.Equal("vendor contract ended", events[2].Detail);
        Assert.StartsWith("cli:", events[3].Actor);
    }

    [Fact]
    public async Task RevokedCredentialStaysInTheListAsRevoked()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        var issued = await app.CreateCredentialAsync("Old CRM");
        await app.RevokeAsync(issued.Credential.Key, "replaced");

        var list = await app.WithServicesAsync((services, organization) =>
            services.GetRequiredService<CredentialService>().ListAsync(organization.Id));

        var row = Assert.Single(list);
        Assert.Equal(CredentialStatus.Revoked, row.StatusAt(app.Time.GetUtcNow().UtcDateTime));
        Assert.Equal("replaced", row.RevokedReason);
    }

    [Fact]
    public async Task StatusIsExpiringInTheLastWeekThenExpired()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        var issued = await app.CreateCredentialAsync(expiresIn: TimeSpan.FromDays(30));
        var now = app.Time.GetUtcNow().UtcDateTime;

        Assert.Equal(CredentialStatus.Active, issued.Credential.StatusAt(now));
        Assert.Equal(CredentialStatus.Expiring, issued.Credential.StatusAt(now.AddDays(24)));
        Assert.Equal(CredentialStatus.Expired, issued.Credential.StatusAt(now.AddDays(30)));
    }
}
