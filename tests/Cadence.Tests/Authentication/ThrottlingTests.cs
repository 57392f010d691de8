using System.Net;
using Cadence.Credentials;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Authentication;

public sealed class ThrottlingTests
{
    [Fact]
    public async Task RepeatedFailuresFromOneAddressAreThrottledWithRetryAfter()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        await using var app = await CadenceApp.StartAsync(database, new()
        {
            ["Cadence:AuthFailureLimit"] = "3",
            ["Cadence:AuthFailureWindow"] = "00:01:00",
        });
        var issued = await app.CreateCredentialAsync();
        var ct = TestContext.Current.CancellationToken;

        for (var i = 0; i < 3; i++)
        {
            var wrong = await app.Http(issued.Credential.Key, SecretFormat.NewSecret().Reveal()).GetAsync("/v2/teams", ct);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        // Now even the right secret is refused: the answer must not tell a guesser when a guess was right.
        var throttled = await app.Http(issued).GetAsync("/v2/teams", ct);
        await ProblemAssert.IsProblemAsync(throttled, HttpStatusCode.TooManyRequests, "auth_throttled");
        Assert.NotNull(throttled.Headers.RetryAfter?.Delta);
        Assert.InRange(throttled.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);

        app.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.OK, (await app.Http(issued).GetAsync("/v2/teams", ct)).StatusCode);
    }

    [Fact]
    public async Task EachCredentialHasARequestRateLimitWithStandardHeaders()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        var limited = await app.CreateCredentialAsync("limited", rateLimit: 3);
        var other = await app.CreateCredentialAsync("other");
        var ct = TestContext.Current.CancellationToken;
        using var client = app.Http(limited);

        var first = await client.GetAsync("/v2/teams", ct);
        Assert.Equal("3", first.Headers.GetValues("RateLimit-Limit").Single());
        Assert.Equal("2", first.Headers.GetValues("RateLimit-Remaining").Single());
        Assert.True(first.Headers.Contains("RateLimit-Reset"));

        HttpResponseMessage last = first;
        for (var i = 0; i < 5 && last.StatusCode != HttpStatusCode.TooManyRequests; i++)
        {
            last = await client.GetAsync("/v2/teams", ct);
        }
        await ProblemAssert.IsProblemAsync(last, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.NotNull(last.Headers.RetryAfter);
        // The limit is per credential: another one is unaffected.
        Assert.Equal(HttpStatusCode.OK, (await app.Http(other).GetAsync("/v2/teams", ct)).StatusCode);
    }
}
