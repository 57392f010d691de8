using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cadence.Cli;
using Cadence.Credentials;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Credentials;

/// <summary>
/// PRODUCT.md §2, leak response: `cadence credentials scan PATH…` finds Cadence secrets in files and says which
/// still work; a secret reported as leaked can be revoked by presenting the secret itself (CLI and API).
/// </summary>
public sealed class LeakResponseTests : IAsyncLifetime
{
    TestDatabase database = null!;
    string folder = null!;

    public async ValueTask InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(Store.Sqlite);
        folder = Path.Combine(Path.GetTempPath(), "cadence-scan-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
    }

    public async ValueTask DisposeAsync()
    {
        Directory.Delete(folder, recursive: true);
        await database.DisposeAsync();
    }

    Task<CliResult> Run(params string[] args) => CliRunner.RunAsync(database, args);

    async Task<(string Key, string Secret)> CreateAsync(string name, params string[] more)
    {
        var created = await CliRunner.CreateCredentialAsync(database, name, more);
        return (created.Key, created.Secret);
    }

    async Task<string> RollAsync(string key, string grace)
    {
        var rolled = await Run("credentials", "roll", key, "--grace", grace, "--json");
        Assert.True(rolled.ExitCode == 0, rolled.Error);
        return JsonDocument.Parse(rolled.Out).RootElement.GetProperty("secret").GetString()!;
    }

    string Write(string relativePath, string text)
    {
        var path = Path.Combine(folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    static Dictionary<string, JsonElement> FindingsByKey(JsonElement report) =>
        report.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("key").ValueKind == JsonValueKind.String)
            .ToDictionary(f => f.GetProperty("key").GetString()!);

    async Task<string> StatusOfAsync(string key)
    {
        var list = JsonDocument.Parse((await Run("credentials", "list", "--json")).Out).RootElement;
        return list.EnumerateArray().Single(c => c.GetProperty("key").GetString() == key).GetProperty("status").GetString()!;
    }

    [Fact]
    public async Task ScanFindsSecretsInNestedAndHiddenFilesAndSaysWhichStillWork()
    {
        var active = await CreateAsync("SIS nightly import");
        var revoked = await CreateAsync("Old portal");
        await Run("credentials", "revoke", revoked.Key);
        var rolled = await CreateAsync("Advising app");
        await RollAsync(rolled.Key, "24h");
        var stranger = SecretFormat.NewSecret().Reveal();
        var badChecksum = active.Secret[..^1] + (active.Secret[^1] == 'a' ? 'b' : 'a');

        var env = Write(".env", $"CADENCE_KEY={active.Key}\nCADENCE_SECRET={active.Secret}\n");
        var log = Write(Path.Combine("logs", "2026", "app.log"), $"line one\r\nAuthorization failed for secret \"{revoked.Secret}\" today\r\n");
        Write("config.json", $"{{\"secret\": \"{rolled.Secret}\"}}");
        Write("notes.md", $"stranger {stranger}\nglued x{active.Secret}\ntypo {badChecksum}\n");

        var scan = await Run("credentials", "scan", folder, "--json");

        Assert.Equal(ScanCommand.StillWorks, scan.ExitCode);
        var report = JsonDocument.Parse(scan.Out).RootElement;
        Assert.Equal(4, report.GetProperty("filesScanned").GetInt32());
        Assert.Equal(4, report.GetProperty("findings").GetArrayLength());
        Assert.Equal(2, report.GetProperty("stillWorking").GetInt32());
        var byKey = FindingsByKey(report);
        Assert.Equal("active", byKey[active.Key].GetProperty("status").GetString());
        Assert.Equal(env, byKey[active.Key].GetProperty("path").GetString());
        Assert.Equal(2, byKey[active.Key].GetProperty("line").GetInt64());
        Assert.Equal(16, byKey[active.Key].GetProperty("column").GetInt64());
        Assert.Equal("revoked", byKey[revoked.Key].GetProperty("status").GetString());
        Assert.Equal(log, byKey[revoked.Key].GetProperty("path").GetString());
        Assert.Equal(2, byKey[revoked.Key].GetProperty("line").GetInt64());
        Assert.Equal("grace", byKey[rolled.Key].GetProperty("status").GetString());
        Assert.True(byKey[rolled.Key].TryGetProperty("worksUntil", out var until) && until.ValueKind == JsonValueKind.String);
        Assert.Single(report.GetProperty("findings").EnumerateArray(), f => f.GetProperty("status").GetString() == "unknown");
        // The report never holds a whole secret.
        foreach (var secret in new[] { active.Secret, revoked.Secret, rolled.Secret, stranger })
        {
            Assert.DoesNotContain(secret, scan.Out);
        }
    }

    [Fact]
    public async Task ScanSaysInPlainTextWhatStillWorksAndWhatToDo()
    {
        var active = await CreateAsync("SIS nightly import");
        Write("settings.py", $"SECRET = '{active.Secret}'\n");

        var scan = await Run("credentials", "scan", folder);

        Assert.Equal(ScanCommand.StillWorks, scan.ExitCode);
        Assert.Contains($"settings.py:1:11  {active.Secret[..8]}…  WORKS  {active.Key} \"SIS nightly import\"", scan.Out);
        Assert.Contains("1 still work", scan.Out);
        Assert.Contains("--revoke", scan.Out);
    }

    [Fact]
    public async Task ScanWithRevokeStopsEverySecretThatStillWorksAndNothingElse()
    {
        var leakedCredential = await CreateAsync("Leaky app");
        var rolled = await CreateAsync("Rolled app");
        var newSecret = await RollAsync(rolled.Key, "24h");
        var untouched = await CreateAsync("Untouched");
        Write("paste.txt", $"{leakedCredential.Secret}\n{rolled.Secret}\n");

        var scan = await Run("credentials", "scan", folder, "--revoke", "--json");

        Assert.True(scan.ExitCode == 0, scan.Error + scan.Out);
        Assert.All(JsonDocument.Parse(scan.Out).RootElement.GetProperty("findings").EnumerateArray(), f => Assert.True(f.GetProperty("revokedNow").GetBoolean()));
        Assert.Equal("revoked", await StatusOfAsync(leakedCredential.Key));
        // The rolled credential lives on with its new secret; only the leaked old one stopped.
        Assert.Equal("active", await StatusOfAsync(rolled.Key));
        Assert.Equal("active", await StatusOfAsync(untouched.Key));
        var again = JsonDocument.Parse((await Run("credentials", "scan", folder, "--json")).Out).RootElement;
        Assert.Equal(0, again.GetProperty("stillWorking").GetInt32());
        var rows = await RawRows.DumpAsync(database);
        Assert.Contains(rows.Split('\n'), row => row.Contains("credential.revoked") && row.Contains("paste.txt:1 by credentials scan"));
        Assert.Contains(rows.Split('\n'), row => row.Contains("credential.old_secret_stopped") && row.Contains(rolled.Key));
        Assert.NotEqual(newSecret, rolled.Secret);
    }

    [Fact]
    public async Task ScanTellsExpiredAndReplacedSecretsApart()
    {
        var expiring = await CreateAsync("Short-lived", "--expires-in", "1h");
        var rolled = await CreateAsync("Rolled quickly");
        await RollAsync(rolled.Key, "1h");
        Write("old.txt", $"{expiring.Secret} {rolled.Secret}");
        // The hour has passed: the stored times are moved back rather than waited out.
        var past = DateTime.UtcNow.AddHours(-2);
        Assert.Equal(1, await RawRows.ExecuteAsync(database, "UPDATE \"Credentials\" SET \"ExpiresAt\" = @at WHERE \"Key\" = @key", ("at", past), ("key", expiring.Key)));
        Assert.Equal(1, await RawRows.ExecuteAsync(database, "UPDATE \"Credentials\" SET \"PreviousSecretExpiresAt\" = @at WHERE \"Key\" = @key", ("at", past), ("key", rolled.Key)));

        var scan = await Run("credentials", "scan", folder, "--json");

        Assert.Equal(0, scan.ExitCode);
        var byKey = FindingsByKey(JsonDocument.Parse(scan.Out).RootElement);
        Assert.Equal("expired", byKey[expiring.Key].GetProperty("status").GetString());
        Assert.Equal("replaced", byKey[rolled.Key].GetProperty("status").GetString());
    }

    [Fact]
    public async Task ScanOfNothingLeakedExitsZeroAndOfAMissingPathFails()
    {
        Write("clean.txt", "nothing to see\n");

        var clean = await Run("credentials", "scan", folder);
        var missing = await Run("credentials", "scan", Path.Combine(folder, "nope"));

        Assert.Equal(0, clean.ExitCode);
        Assert.Contains("0 Cadence secret(s) found", clean.Out);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("There is no file or folder", missing.Error);
    }

    [Fact]
    public async Task RevokeBySecretOnStandardInputNeedsNoKey()
    {
        var leakedCredential = await CreateAsync("Leaky app");

        var revoked = await CliRunner.RunAsync(database, ["credentials", "revoke", "--secret-stdin", "--reason", "posted in a forum"], leakedCredential.Secret + "\n");
        var garbage = await CliRunner.RunAsync(database, ["credentials", "revoke", "--secret-stdin"], "not-a-secret\n");
        var stranger = await CliRunner.RunAsync(database, ["credentials", "revoke", "--secret-stdin"], SecretFormat.NewSecret().Reveal() + "\n");
        var both = await CliRunner.RunAsync(database, ["credentials", "revoke", leakedCredential.Key, "--secret-stdin"], "");

        Assert.True(revoked.ExitCode == 0, revoked.Error);
        Assert.Contains($"Revoked {leakedCredential.Key}", revoked.Out);
        Assert.Equal("revoked", await StatusOfAsync(leakedCredential.Key));
        Assert.Equal(1, garbage.ExitCode);
        Assert.Contains("not a Cadence secret", garbage.Error);
        Assert.Equal(1, stranger.ExitCode);
        Assert.Contains("belongs to no credential here", stranger.Error);
        Assert.Equal(1, both.ExitCode);
    }

    [Fact]
    public async Task PresentingASecretToTheApiStopsItWithoutAnyCredential()
    {
        await using var app = await CadenceApp.StartAsync(database);
        var leakedCredential = await app.CreateCredentialAsync("Leaky app");
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(HttpStatusCode.OK, (await app.Http(leakedCredential).GetAsync("/v2/ping", ct)).StatusCode);

        var response = await app.Http().PostAsJsonAsync("/v2/credentials/revoke", new { secrets = new[] { leakedCredential.Secret.Reveal() } }, ct);
        var stranger = await app.Http().PostAsJsonAsync("/v2/credentials/revoke", new { secrets = new[] { SecretFormat.NewSecret().Reveal() } }, ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        // The answer is the same whether or not the secret was real: it tells a prober nothing.
        Assert.Equal(HttpStatusCode.Accepted, stranger.StatusCode);
        Assert.Equal(await response.Content.ReadAsStringAsync(ct), await stranger.Content.ReadAsStringAsync(ct));
        var refused = await app.Http(leakedCredential).GetAsync("/v2/ping", ct);
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Unauthorized, "credential_revoked");
    }

    [Fact]
    public async Task TheRevocationEndpointRefusesBadBodiesAndThrottlesProbing()
    {
        await using var app = await CadenceApp.StartAsync(database, new()
        {
            ["Cadence:AuthFailureLimit"] = "3",
            ["Cadence:AuthFailureWindow"] = "00:01:00",
        });
        var ct = TestContext.Current.CancellationToken;
        using var client = app.Http();
        async Task<HttpResponseMessage> PostAsync(string json) =>
            await client.PostAsync("/v2/credentials/revoke", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), ct);

        await ProblemAssert.IsProblemAsync(await PostAsync("{"), HttpStatusCode.BadRequest);
        await ProblemAssert.IsProblemAsync(await PostAsync("{\"secrets\": []}"), HttpStatusCode.BadRequest);
        await ProblemAssert.IsProblemAsync(await PostAsync("{\"secrets\": [1]}"), HttpStatusCode.BadRequest);
        await ProblemAssert.IsProblemAsync(await PostAsync("{\"secrets\": [\"\\ud800\"]}"), HttpStatusCode.BadRequest);
        await ProblemAssert.IsProblemAsync(await PostAsync(JsonSerializer.Serialize(new { secrets = Enumerable.Repeat("x", 101) })), HttpStatusCode.BadRequest);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(JsonSerializer.Serialize(new { secrets = new[] { SecretFormat.NewSecret().Reveal() } }))).StatusCode);
        }
        var throttled = await PostAsync(JsonSerializer.Serialize(new { secrets = new[] { SecretFormat.NewSecret().Reveal() } }));
        await ProblemAssert.IsProblemAsync(throttled, HttpStatusCode.TooManyRequests, "auth_throttled");
        Assert.NotNull(throttled.Headers.RetryAfter);
    }

    [Fact]
    public async Task ADeadSecretAddedToEveryRequestDoesNotDodgeTheThrottle()
    {
        await using var app = await CadenceApp.StartAsync(database, new()
        {
            ["Cadence:AuthFailureLimit"] = "3",
            ["Cadence:AuthFailureWindow"] = "00:01:00",
        });
        var dead = await app.CreateCredentialAsync("Already revoked");
        await app.RevokeAsync(dead.Credential.Key);
        var ct = TestContext.Current.CancellationToken;
        using var client = app.Http();
        Task<HttpResponseMessage> ProbeAsync() => client.PostAsJsonAsync("/v2/credentials/revoke",
            new { secrets = new[] { dead.Secret.Reveal(), SecretFormat.NewSecret().Reveal() } }, ct);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await ProbeAsync()).StatusCode);
        }

        await ProblemAssert.IsProblemAsync(await ProbeAsync(), HttpStatusCode.TooManyRequests, "auth_throttled");
    }
}
