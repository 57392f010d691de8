using System.Net;
using System.Text;
using Cadence.Authentication;
using Cadence.Credentials;
using Cadence.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Cadence.Tests.Authentication;

/// <summary>A key or secret anywhere in the query string, however it is wrapped, is refused.</summary>
public sealed class CredentialsInUrlTests
{
    static readonly string Key = SecretFormat.NewKey();
    static readonly string Secret = SecretFormat.NewSecret().Reveal();

    static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
    static string UrlSafe(string base64) => base64.Replace('+', '-').Replace('/', '_').TrimEnd('=');

    static bool Found(string query)
    {
        var http = new DefaultHttpContext();
        http.Request.QueryString = new QueryString(query);
        return CredentialsInQuery.Found(http.Request);
    }

    public static TheoryData<string, string> Hidden() => new()
    {
        { "secret as a parameter name", $"?{Secret}=1" },
        { "key as a parameter name", $"?{Key}=" },
        { "secret inside a value", $"?q=x%20{Secret}" },
        { "key inside a value", $"?note=mine-{Key}-ok" },
        { "base64 of key:secret", $"?auth={Uri.EscapeDataString(Base64(Key + ":" + Secret))}" },
        { "base64 with raw + and =", $"?auth={Base64(Key + ":" + Secret + "?>")}" },
        { "url-safe base64, unpadded", $"?auth={UrlSafe(Base64(Key + ":" + Secret))}" },
        { "url-safe base64 of the secret alone", $"?t={UrlSafe(Base64(Secret))}" },
        { "base64 of the key alone", $"?k={UrlSafe(Base64(Key))}" },
        { "a Basic header in a value", $"?authorization=Basic%20{Uri.EscapeDataString(Base64(Key + ":" + Secret))}" },
        { "base64 of text around a secret", $"?state={UrlSafe(Base64("{\"session\":\"" + Secret + "\"}"))}" },
        { "URL-encoded twice", $"?q={Uri.EscapeDataString(Uri.EscapeDataString(Key + ":" + Secret))}" },
        { "a named parameter", "?api_key=anything" },
    };

    [Theory]
    [MemberData(nameof(Hidden))]
    public void ACredentialHiddenInTheQueryStringIsFound(string why, string query) => Assert.True(Found(query), why);

    [Theory]
    [InlineData("")]
    [InlineData("?")]
    [InlineData("?page=2&search=smith")]
    [InlineData("?q=cds_short&r=x-cdk_abc")]
    [InlineData("?cursor=eyJpZCI6MTIzNDU2Nzg5MCwiYXQiOiIyMDI2LTA5LTAxVDEyOjAwOjAwWiJ9")]
    [InlineData("?mobileNumber=%2B17165550101&team=SS")]
    public void AnOrdinaryQueryStringIsNotRefused(string query) => Assert.False(Found(query), query);

    [Fact]
    public async Task AnAuthParameterHoldingBase64KeyAndSecretIsRefusedEvenWithGoodHeaders()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        var issued = await app.CreateCredentialAsync();
        var hidden = Uri.EscapeDataString(Base64($"{issued.Credential.Key}:{issued.Secret.Reveal()}"));
        var ct = TestContext.Current.CancellationToken;

        var asValue = await app.Http(issued).GetAsync($"/v2/teams?auth={hidden}", ct);
        var asName = await app.Http(issued).GetAsync($"/v2/teams?{issued.Secret.Reveal()}=1", ct);

        await ProblemAssert.IsProblemAsync(asValue, HttpStatusCode.BadRequest, "credentials_in_url");
        await ProblemAssert.IsProblemAsync(asName, HttpStatusCode.BadRequest, "credentials_in_url");
        Assert.Equal(HttpStatusCode.OK, (await app.Http(issued).GetAsync("/v2/teams?page=2", ct)).StatusCode);
    }
}
