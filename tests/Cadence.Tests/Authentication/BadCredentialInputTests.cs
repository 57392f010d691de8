using System.Net;
using System.Text;
using Cadence.Credentials;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Authentication;

/// <summary>Hostile or broken credential headers get a clear 4xx with problem details, never a 500.</summary>
public sealed class BadCredentialInputTests : IAsyncLifetime
{
    CadenceApp app = null!;

    public async ValueTask InitializeAsync()
    {
        // A high failure limit so that this class's many bad attempts are not throttled.
        app = await CadenceApp.StartAsync(Store.Sqlite, new() { ["Cadence:AuthFailureLimit"] = "1000" });
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();

    static string Basic(string text) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    public static TheoryData<string, string> BadAuthorizationHeaders() => new()
    {
        { "malformed scheme", "Basic" },
        { "invalid base64", "Basic !!!not-base64***" },
        { "no colon", Basic("cdk_abcdefghijklmnopqrstuvwx") },
        { "empty key", Basic(":cds_secret") },
        { "empty secret", Basic("cdk_abcdefghijklmnopqrstuvwx:") },
        { "bearer token", "Bearer cds_abc" },
        { "wrong key prefix", Basic("sk_live_abcdefghijklmnopqrstuvwx:" + SecretFormat.NewSecret().Reveal()) },
        { "wrong secret prefix", Basic(SecretFormat.NewKey() + ":ghp_" + new string('a', 49)) },
        { "checksum mismatch", Basic(SecretFormat.NewKey() + ":" + SecretFormat.NewSecret().Reveal()[..^1] + "0") },
        { "unicode garbage", Basic("ключ🔑\u0000\u202e:секрет\uFFFD💥") },
        { "not utf-8", "Basic " + Convert.ToBase64String([0xff, 0xfe, 0x3a, 0xc3, 0x28]) },
        { "long header", Basic(new string('k', 5000) + ":" + new string('s', 5000)) },
    };

    [Theory]
    [MemberData(nameof(BadAuthorizationHeaders))]
    public async Task BadAuthorizationHeaderGets401ProblemNot500(string why, string header)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v2/teams");
        Assert.True(request.Headers.TryAddWithoutValidation("Authorization", header), why);

        var response = await app.Http().SendAsync(request, TestContext.Current.CancellationToken);

        var body = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains(body.GetProperty("code").GetString(), new[] { "credentials_malformed", "credentials_invalid" });
        Assert.Equal("Basic realm=\"Cadence\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A64KibHeaderIsRefusedWithA4xx()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v2/teams");
        request.Headers.TryAddWithoutValidation("Authorization", "Basic " + new string('A', 64 * 1024));

        var response = await app.Http().SendAsync(request, TestContext.Current.CancellationToken);

        Assert.InRange((int)response.StatusCode, 400, 499);
    }

    [Theory]
    [InlineData("only the key", true, false)]
    [InlineData("only the secret", false, true)]
    public async Task HalfOfTheHeaderPairIsMalformed(string why, bool sendKey, bool sendSecret)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v2/teams");
        if (sendKey)
        {
            request.Headers.Add("X-Api-Key", SecretFormat.NewKey());
        }
        if (sendSecret)
        {
            request.Headers.Add("X-Api-Secret", SecretFormat.NewSecret().Reveal());
        }

        var response = await app.Http().SendAsync(request, TestContext.Current.CancellationToken);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "credentials_malformed");
        Assert.NotNull(why);
    }

    [Fact]
    public async Task UnknownRoutesAndMethodsGetProblemDetails()
    {
        var issued = await app.CreateCredentialAsync();

        var notFound = await app.Http(issued).GetAsync("/v2/nothing-here", TestContext.Current.CancellationToken);
        var wrongMethod = await app.Http(issued).DeleteAsync("/v2/teams", TestContext.Current.CancellationToken);

        await ProblemAssert.IsProblemAsync(notFound, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(wrongMethod, HttpStatusCode.MethodNotAllowed);
    }
}
