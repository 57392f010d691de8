using System.Net;
using System.Text.Json;
using Cadence.Credentials;
using Cadence.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cadence.Tests.Credentials;

/// <summary>After creation a secret exists only with its holder: not in the database, logs, lists or error bodies.</summary>
public sealed class SecretNowhereTests
{
    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task TheSecretIsNowhereAfterCreation(Store store)
    {
        await using var database = await TestDatabase.CreateAsync(store);
        await using var app = await CadenceApp.StartAsync(database);
        await app.AddTeamAsync("SS");
        var ct = TestContext.Current.CancellationToken;

        var (key, secret) = await CliRunner.CreateCredentialAsync(database, "SIS import");
        Assert.True(SecretFormat.IsSecret(secret));

        var seen = new List<string>();
        async Task<HttpResponseMessage> Call(HttpClient client, string path)
        {
            var response = await client.GetAsync(path, ct);
            seen.Add(await response.Content.ReadAsStringAsync(ct));
            return response;
        }
        Assert.True(HttpStatusCode.OK == (await Call(app.Http(key, secret), "/v2/teams")).StatusCode, seen.LastOrDefault());
        Assert.Equal(HttpStatusCode.OK, (await Call(app.Http(key, secret), "/v2/credentials/self")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Call(app.Http(SecretFormat.NewKey(), secret), "/v2/teams")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Call(app.Http(key, secret), "/v2/teams?secret=" + secret)).StatusCode);

        var rolled = await app.CliAsync("credentials", "roll", key, "--grace", "1h", "--json");
        var newSecret = JsonDocument.Parse(rolled.Out).RootElement.GetProperty("secret").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await Call(app.Http(key, newSecret), "/v2/teams")).StatusCode);
        var revoked = await app.CliAsync("credentials", "revoke", key, "--reason", "test");
        Assert.Equal(0, revoked.ExitCode);
        // The CLI is another process: like another node, the server learns of the revocation within a second.
        Assert.True(await Eventually.TrueAsync(async () => (await Call(app.Http(key, newSecret), "/v2/teams")).StatusCode == HttpStatusCode.Unauthorized));
        var list = await app.CliAsync("credentials", "list", "--json");
        var table = await app.CliAsync("credentials", "list");
        // The last-used flush writes the address and time of use; the secret must not be among what it writes.
        Assert.True(await Eventually.TrueAsync(() => app.WithServicesAsync((services, _) =>
            services.GetRequiredService<Cadence.Data.CadenceDb>().Credentials.AnyAsync(c => c.Key == key && c.LastUsedAt != null, ct))));

        var everything = new[]
        {
            ("responses", string.Join("\n", seen)),
            ("list", list.Out + list.Error + table.Out + revoked.Out),
            ("logs", app.Logs.All),
            ("database rows", await RawRows.DumpAsync(database)),
            ("database files", store == Store.Sqlite ? RawRows.SqliteFiles(database) : ""),
        };
        Assert.NotEmpty(app.Logs.Lines);
        foreach (var (where, text) in everything)
        {
            Assert.False(text.Contains(secret), $"The first secret appears in the {where}.");
            Assert.False(text.Contains(newSecret), $"The rolled secret appears in the {where}.");
        }
        Assert.Contains(key, list.Out);
    }

    [Fact]
    public void ASecretPrintsRedacted()
    {
        var secret = SecretFormat.NewSecret();

        Assert.DoesNotContain(secret.Reveal(), secret.ToString());
        Assert.DoesNotContain(secret.Reveal(), $"{secret}");
    }
}
