using System.Text.Json;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Credentials;

/// <summary>Structured JSON logs (--Logging:Console:FormatterName=json) are scrubbed of secrets like the plain ones, scopes included.</summary>
public sealed class JsonLogTests
{
    [Fact]
    public async Task JsonLogLinesNeverHoldASecretEvenInScopesOrValues()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        var created = await CliRunner.CreateCredentialAsync(database, "logs");
        var secret = created.Secret;
        await using var server = await ServerProcess.StartAsync(database,
            "--Logging:Console:FormatterName=json", "--Logging:Console:FormatterOptions:IncludeScopes=true",
            "--Logging:LogLevel:Default=Information", "--Logging:LogLevel:Microsoft.AspNetCore=Information");
        using var client = new HttpClient { BaseAddress = server.Address };
        var ct = TestContext.Current.CancellationToken;

        // A client that puts its secret in the URL by mistake: ASP.NET Core logs the URL, in the message, its values and the request scope.
        var answer = await client.GetAsync($"/v2/teams?secret={secret}", ct);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(server.Output.Contains("Request finished")), TimeSpan.FromSeconds(10)));

        Assert.Equal(400, (int)answer.StatusCode);
        var lines = server.Output.Split('\n').Where(l => l.StartsWith('{')).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, l => JsonDocument.Parse(l).Dispose());
        Assert.Contains(lines, l => l.Contains("/v2/teams") && l.Contains("\"Scopes\""));
        Assert.DoesNotContain(secret, server.Output);
        Assert.DoesNotContain(secret[..20], server.Output);
    }
}
