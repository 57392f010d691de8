using Cadence.Data;
using Cadence.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Tests.Health;

public sealed class TrustedProxiesTests
{
    [Theory]
    [InlineData("127.0.0.0/8", "203.0.113.9")]
    [InlineData("127.0.0.1", "203.0.113.9")]
    [InlineData("10.0.0.0/8", "127.0.0.1")]
    [InlineData("", "127.0.0.1")]
    public async Task OnlyTheConfiguredProxiesAreBelieved(string proxies, string recorded)
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite, new() { ["Cadence:TrustedProxies:0"] = proxies });
        var credential = await app.CreateCredentialAsync();
        using var client = app.Http(credential);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");

        (await client.GetAsync("/v2/ping", TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

        string? address = null;
        Assert.True(await Eventually.TrueAsync(async () => (address = await app.WithServicesAsync(async (services, _) =>
            await services.GetRequiredService<CadenceDb>().Credentials.Where(c => c.Id == credential.Credential.Id).Select(c => c.LastUsedIp).SingleAsync())) is not null));
        Assert.Equal(recorded, address);
    }

    [Fact]
    public Task ANonsenseProxyIsRefusedAtStart() => StartRefusal.AssertAsync("Cadence:TrustedProxies:0", "10.0.0.0/99", "CIDR");
}
