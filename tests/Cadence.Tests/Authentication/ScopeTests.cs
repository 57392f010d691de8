using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cadence.Audit;
using Cadence.Authentication;
using Cadence.Credentials;
using Cadence.Data;
using Cadence.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Tests.Authentication;

/// <summary>
/// The scope policies, on the real server with one extra endpoint per scope mapped the way every feature
/// maps its own (contacts and messages are later features; the mechanism is tested here).
/// </summary>
public sealed class ScopeTests : IAsyncLifetime
{
    TestDatabase database = null!;
    WebApplication server = null!;

    public async ValueTask InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(Store.Sqlite);
        var settings = database.Settings;
        settings["urls"] = "http://127.0.0.1:0";
        server = Program.BuildServer([], settings);
        var group = server.MapApiGroup("/v2/scope-probe", "Test");
        foreach (var scope in Scope.All)
        {
            group.MapGet("/" + scope.Replace(':', '-'), () => Results.Ok(new { scope })).RequireScope(scope);
        }
        await server.StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        await database.DisposeAsync();
    }

    async Task<(string Key, string Secret)> CreateAsync(params string[] scopes)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var organization = await scope.ServiceProvider.GetRequiredService<CadenceDb>().Organizations.SingleAsync();
        var issued = await scope.ServiceProvider.GetRequiredService<CredentialService>()
            .CreateAsync(organization.Id, new NewCredential("scoped", scopes, [], null, null), new Actor("test"));
        return (issued.Credential.Key, issued.Secret.Reveal());
    }

    HttpClient Client((string Key, string Secret) credential)
    {
        var client = new HttpClient { BaseAddress = new Uri(server.Urls.First()) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Key}:{credential.Secret}")));
        return client;
    }

    [Fact]
    public async Task ACredentialWithoutTheScopeGets403NamingTheScope()
    {
        var readOnly = Client(await CreateAsync(Scope.ContactsRead));
        var ct = TestContext.Current.CancellationToken;

        var allowed = await readOnly.GetAsync("/v2/scope-probe/contacts-read", ct);
        var refused = await readOnly.GetAsync("/v2/scope-probe/messages-send", ct);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        var body = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Forbidden, "scope_missing");
        Assert.Contains("messages:send", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ACredentialCreatedWithoutScopesHasThemAll()
    {
        var full = Client(await CreateAsync());

        foreach (var scope in Scope.All)
        {
            var response = await full.GetAsync("/v2/scope-probe/" + scope.Replace(':', '-'), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task AScopedEndpointStillAsksForCredentialsFirst()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(server.Urls.First()) };

        var response = await anonymous.GetAsync("/v2/scope-probe/contacts-read", TestContext.Current.CancellationToken);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "credentials_missing");
    }
}
