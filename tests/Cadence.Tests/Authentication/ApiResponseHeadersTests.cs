using System.Net;
using System.Text;
using Cadence.Credentials;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Authentication;

/// <summary>Every client-API answer, refusals and problem details included, is neither cached nor sniffed.</summary>
public sealed class ApiResponseHeadersTests
{
    static void AssertHeaders(HttpResponseMessage response, string why)
    {
        Assert.True(response.Headers.CacheControl?.NoStore == true, $"{why}: Cache-Control is '{response.Headers.CacheControl}'");
        Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var sniff) && sniff.Single() == "nosniff", $"{why}: no nosniff");
    }

    [Fact]
    public async Task EveryApiAnswerSaysNoStoreAndNosniff()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        await app.AddTeamAsync("SS");
        var reader = await app.CreateCredentialAsync("reader", [Scope.ContactsRead]);
        var writer = await app.CreateCredentialAsync("writer", [Scope.ContactsWrite]);
        var limited = await app.CreateCredentialAsync("limited", rateLimit: 1);
        var ct = TestContext.Current.CancellationToken;

        var answers = new List<(string, HttpResponseMessage, HttpStatusCode)>
        {
            ("ok", await app.Http(reader).GetAsync("/v2/teams", ct), HttpStatusCode.OK),
            ("no credential", await app.Http().GetAsync("/v2/teams", ct), HttpStatusCode.Unauthorized),
            ("wrong secret", await app.Http(reader.Credential.Key, SecretFormat.NewSecret().Reveal()).GetAsync("/v2/teams", ct), HttpStatusCode.Unauthorized),
            ("missing scope", await app.Http(writer).GetAsync("/v2/contacts/SS", ct), HttpStatusCode.Forbidden),
            ("credential in the URL", await app.Http(reader).GetAsync($"/v2/teams?x={reader.Secret.Reveal()}", ct), HttpStatusCode.BadRequest),
            ("unknown route", await app.Http(reader).GetAsync("/v2/nothing-here", ct), HttpStatusCode.NotFound),
            // A bad body goes through the exception handler, which clears the response before writing its problem.
            ("bad JSON", await app.Http(writer).PostAsync("/v2/contacts/SS",
                new StringContent("{not json", Encoding.UTF8, "application/json"), ct), HttpStatusCode.BadRequest),
        };
        using var limitedClient = app.Http(limited);
        await limitedClient.GetAsync("/v2/teams", ct);
        answers.Add(("rate limited", await limitedClient.GetAsync("/v2/teams", ct), HttpStatusCode.TooManyRequests));

        foreach (var (why, response, status) in answers)
        {
            Assert.True(status == response.StatusCode, $"{why}: {response.StatusCode}");
            AssertHeaders(response, why);
        }
    }

    [Fact]
    public async Task AThrottledAddressIsToldNotToStoreEither()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite, new() { ["Cadence:AuthFailureLimit"] = "1" });
        var issued = await app.CreateCredentialAsync();
        var ct = TestContext.Current.CancellationToken;
        await app.Http(issued.Credential.Key, SecretFormat.NewSecret().Reveal()).GetAsync("/v2/teams", ct);

        var throttled = await app.Http(issued).GetAsync("/v2/teams", ct);

        Assert.Equal((HttpStatusCode)429, throttled.StatusCode);
        AssertHeaders(throttled, "throttled");
    }
}
