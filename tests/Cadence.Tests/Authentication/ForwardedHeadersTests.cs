using System.Net;
using Cadence.Credentials;
using Cadence.Data;
using Cadence.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Tests.Authentication;

/// <summary>X-Forwarded-For is believed only from the proxies named in Cadence:TrustedProxies.</summary>
public sealed class ForwardedHeadersTests
{
    static HttpRequestMessage Get(string? forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v2/teams");
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        return request;
    }

    static async Task FailAsync(CadenceApp app, IssuedCredential issued, string forwardedFor, int times)
    {
        using var wrong = app.Http(issued.Credential.Key, SecretFormat.NewSecret().Reveal());
        for (var i = 0; i < times; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.SendAsync(Get(forwardedFor), TestContext.Current.CancellationToken)).StatusCode);
        }
    }

    static async Task<string?> LastUsedIpAsync(CadenceApp app, string key, string expected)
    {
        string? seen = null;
        await Eventually.TrueAsync(async () =>
        {
            seen = await app.WithServicesAsync(async (services, _) => (await services.GetRequiredService<CadenceDb>().Credentials
                .AsNoTracking().SingleAsync(c => c.Key == key)).LastUsedIp);
            return seen == expected;
        });
        return seen;
    }

    [Fact]
    public async Task WithoutTrustedProxiesAForgedForwardedForChangesNothing()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite, new() { ["Cadence:AuthFailureLimit"] = "3" });
        var issued = await app.CreateCredentialAsync();
        var ct = TestContext.Current.CancellationToken;

        // A local client claims another address for its failures; they still count against its own.
        await FailAsync(app, issued, "203.0.113.7", 3);
        var throttled = await app.Http(issued).SendAsync(Get(null), ct);
        await ProblemAssert.IsProblemAsync(throttled, (HttpStatusCode)429, "auth_throttled");

        app.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.OK, (await app.Http(issued).SendAsync(Get("198.51.100.9"), ct)).StatusCode);
        Assert.Equal("127.0.0.1", await LastUsedIpAsync(app, issued.Credential.Key, "127.0.0.1"));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.0/8")]
    [InlineData("10.0.0.0/8, 127.0.0.1")]
    public async Task FromATrustedProxyTheForwardedAddressIsBelieved(string trusted)
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        await using var app = await CadenceApp.StartAsync(database, new()
        {
            ["Cadence:AuthFailureLimit"] = "3",
            ["Cadence:TrustedProxies:0"] = trusted,
        });
        var issued = await app.CreateCredentialAsync();
        var ct = TestContext.Current.CancellationToken;

        await FailAsync(app, issued, "203.0.113.7", 3);
        await ProblemAssert.IsProblemAsync(await app.Http(issued).SendAsync(Get("203.0.113.7"), ct), (HttpStatusCode)429, "auth_throttled");

        Assert.Equal(HttpStatusCode.OK, (await app.Http(issued).SendAsync(Get("198.51.100.9"), ct)).StatusCode);
        Assert.Equal("198.51.100.9", await LastUsedIpAsync(app, issued.Credential.Key, "198.51.100.9"));
    }

    [Theory]
    [InlineData("load-balancer.internal")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.1, 300.1.1.1")]
    public Task ABadTrustedProxyEntryRefusesToStartAndSaysWhich(string entry) =>
        StartRefusal.AssertAsync("Cadence:TrustedProxies:0", entry, "Cadence:TrustedProxies holds", "CIDR");
}
