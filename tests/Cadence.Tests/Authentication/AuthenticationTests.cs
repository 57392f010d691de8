using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cadence.Credentials;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Authentication;

/// <summary>Every answer of PRODUCT.md §3, with the credential in either header form.</summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    CadenceApp app = null!;

    public async ValueTask InitializeAsync()
    {
        app = await CadenceApp.StartAsync(Store.Sqlite);
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();

    public enum HeaderForm { Basic, ApiKeyHeaders }

    static HttpRequestMessage Get(string path, string key, string secret, HeaderForm form)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (form == HeaderForm.Basic)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{key}:{secret}")));
        }
        else
        {
            request.Headers.Add("X-Api-Key", key);
            request.Headers.Add("X-Api-Secret", secret);
        }
        return request;
    }

    async Task<HttpResponseMessage> SendAsync(string key, string secret, HeaderForm form, string path = "/v2/teams") =>
        await app.Http().SendAsync(Get(path, key, secret, form), TestContext.Current.CancellationToken);

    [Fact]
    public async Task RequestWithoutCredentialGets401WithBasicChallenge()
    {
        var response = await app.Http().GetAsync("/v2/teams", TestContext.Current.CancellationToken);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "credentials_missing");
        Assert.Equal("Basic realm=\"Cadence\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData(HeaderForm.Basic)]
    [InlineData(HeaderForm.ApiKeyHeaders)]
    public async Task ValidCredentialIsAccepted(HeaderForm form)
    {
        await app.AddTeamAsync("SS", "Student Success");
        var issued = await app.CreateCredentialAsync();

        var response = await SendAsync(issued.Credential.Key, issued.Secret.Reveal(), form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"departmentCode\":\"SS\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(HeaderForm.Basic)]
    [InlineData(HeaderForm.ApiKeyHeaders)]
    public async Task UnknownKeyAndWrongSecretGetTheSameAnswer(HeaderForm form)
    {
        var issued = await app.CreateCredentialAsync();
        var otherSecret = SecretFormat.NewSecret().Reveal();

        var wrongSecret = await SendAsync(issued.Credential.Key, otherSecret, form);
        var unknownKey = await SendAsync(SecretFormat.NewKey(), issued.Secret.Reveal(), form);

        var a = await ProblemAssert.IsProblemAsync(wrongSecret, HttpStatusCode.Unauthorized, "credentials_invalid");
        var b = await ProblemAssert.IsProblemAsync(unknownKey, HttpStatusCode.Unauthorized, "credentials_invalid");
        Assert.Equal(a.GetProperty("detail").GetString(), b.GetProperty("detail").GetString());
        Assert.Equal(a.GetProperty("title").GetString(), b.GetProperty("title").GetString());
        Assert.Equal("Basic realm=\"Cadence\"", wrongSecret.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData(HeaderForm.Basic)]
    [InlineData(HeaderForm.ApiKeyHeaders)]
    public async Task RevokedCredentialIsRefusedAtOnceAndSaysSoOnlyToTheSecretHolder(HeaderForm form)
    {
        var issued = await app.CreateCredentialAsync();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(issued.Credential.Key, issued.Secret.Reveal(), form)).StatusCode);

        await app.RevokeAsync(issued.Credential.Key, "leaked in a ticket");

        var withSecret = await SendAsync(issued.Credential.Key, issued.Secret.Reveal(), form);
        var body = await ProblemAssert.IsProblemAsync(withSecret, HttpStatusCode.Unauthorized, "credential_revoked");
        Assert.Contains("revoked", body.GetProperty("detail").GetString());
        var withoutSecret = await SendAsync(issued.Credential.Key, SecretFormat.NewSecret().Reveal(), form);
        await ProblemAssert.IsProblemAsync(withoutSecret, HttpStatusCode.Unauthorized, "credentials_invalid");
    }

    [Theory]
    [InlineData(HeaderForm.Basic)]
    [InlineData(HeaderForm.ApiKeyHeaders)]
    public async Task ExpiredCredentialIsRefusedAndSaysSo(HeaderForm form)
    {
        var issued = await app.CreateCredentialAsync(expiresIn: TimeSpan.FromDays(90));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(issued.Credential.Key, issued.Secret.Reveal(), form)).StatusCode);

        app.Time.Advance(TimeSpan.FromDays(90));

        var response = await SendAsync(issued.Credential.Key, issued.Secret.Reveal(), form);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "credential_expired");
        var wrongSecret = await SendAsync(issued.Credential.Key, SecretFormat.NewSecret().Reveal(), form);
        await ProblemAssert.IsProblemAsync(wrongSecret, HttpStatusCode.Unauthorized, "credentials_invalid");
    }

    [Theory]
    [InlineData(HeaderForm.Basic)]
    [InlineData(HeaderForm.ApiKeyHeaders)]
    public async Task RolledSecretKeepsTheOldOneWorkingForTheGracePeriodOnly(HeaderForm form)
    {
        var original = await app.CreateCredentialAsync();
        var rolled = await app.RollAsync(original.Credential.Key, TimeSpan.FromHours(24));
        Assert.Equal(original.Credential.Key, rolled.Credential.Key);
        Assert.NotEqual(original.Secret.Reveal(), rolled.Secret.Reveal());

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(original.Credential.Key, original.Secret.Reveal(), form)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(rolled.Credential.Key, rolled.Secret.Reveal(), form)).StatusCode);

        app.Time.Advance(TimeSpan.FromHours(24));

        var old = await SendAsync(original.Credential.Key, original.Secret.Reveal(), form);
        await ProblemAssert.IsProblemAsync(old, HttpStatusCode.Unauthorized, "secret_superseded");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(rolled.Credential.Key, rolled.Secret.Reveal(), form)).StatusCode);
    }

    [Fact]
    public async Task ASecretReadFromAFileWithItsTrailingNewlineStillWorks()
    {
        var issued = await app.CreateCredentialAsync();

        var response = await SendAsync(issued.Credential.Key, issued.Secret.Reveal() + "\n", HeaderForm.Basic);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task RollingWithNoGraceStopsTheOldSecretAtOnce()
    {
        var original = await app.CreateCredentialAsync();
        await app.Http(original).GetAsync("/v2/teams", TestContext.Current.CancellationToken);

        var rolled = await app.RollAsync(original.Credential.Key, TimeSpan.Zero);

        var old = await app.Http(original).GetAsync("/v2/teams", TestContext.Current.CancellationToken);
        await ProblemAssert.IsProblemAsync(old, HttpStatusCode.Unauthorized, "credentials_invalid");
        Assert.Equal(HttpStatusCode.OK, (await app.Http(rolled).GetAsync("/v2/teams", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task CredentialsInTheQueryStringAreRefusedEvenWithGoodHeaders()
    {
        var issued = await app.CreateCredentialAsync();

        var response = await app.Http(issued).GetAsync($"/v2/teams?api_key={issued.Credential.Key}", TestContext.Current.CancellationToken);
        var secretInValue = await app.Http(issued).GetAsync($"/v2/teams?x={issued.Secret.Reveal()}", TestContext.Current.CancellationToken);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "credentials_in_url");
        await ProblemAssert.IsProblemAsync(secretInValue, HttpStatusCode.BadRequest, "credentials_in_url");
    }

    [Fact]
    public async Task SelfShowsTheCredentialButNeverItsSecret()
    {
        await app.AddTeamAsync("ADM");
        var issued = await app.CreateCredentialAsync("SIS nightly import", [Scope.ContactsRead], ["ADM"], TimeSpan.FromDays(30), 7);

        var response = await app.Http(issued).GetAsync("/v2/credentials/self", TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"name\":\"SIS nightly import\"", text);
        Assert.Contains($"\"key\":\"{issued.Credential.Key}\"", text);
        Assert.Contains("\"scopes\":[\"contacts:read\"]", text);
        Assert.Contains("\"teams\":[\"ADM\"]", text);
        Assert.Contains("\"rateLimit\":7", text);
        Assert.Contains("\"expiresAt\":\"2026-10-01T12:00:00", text);
        Assert.DoesNotContain(issued.Secret.Reveal(), text);
        Assert.DoesNotContain("secret", text, StringComparison.OrdinalIgnoreCase);
    }
}

public sealed class QueryStringTests
{
    [Fact]
    public async Task ASecretAnywhereInTheQueryStringIsRefused()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        var issued = await app.CreateCredentialAsync();

        var response = await app.Http(issued).GetAsync($"/v2/teams?q=x%20{issued.Secret.Reveal()}", TestContext.Current.CancellationToken);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "credentials_in_url");
    }
}
