using System.Diagnostics;
using System.Text.Json;
using Cadence.Credentials;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Cli;

/// <summary>Each `cadence` command's happy path and its errors (stderr, exit code 1), on a real SQLite file.</summary>
public sealed class CliTests : IAsyncLifetime
{
    TestDatabase database = null!;

    public async ValueTask InitializeAsync() => database = await TestDatabase.CreateAsync(Store.Sqlite);

    public ValueTask DisposeAsync() => database.DisposeAsync();

    Task<CliResult> Run(params string[] args) => CliRunner.RunAsync(database, args);

    static void Succeeded(CliResult result) => Assert.True(result.ExitCode == 0, result.Error);

    static void FailedWith(CliResult result, string message)
    {
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public async Task TeamsAddAndList()
    {
        Succeeded(await Run("teams", "add", "ss", "--name", "Student Success"));
        Succeeded(await Run("teams", "add", "ADM", "--name", "Admissions"));

        var table = await Run("teams", "list");
        var json = JsonDocument.Parse((await Run("teams", "list", "--json")).Out).RootElement;

        Assert.Contains("SS    Student Success", table.Out);
        Assert.Equal(["ADM", "SS"], json.EnumerateArray().Select(t => t.GetProperty("departmentCode").GetString()));
    }

    [Fact]
    public async Task DuplicateTeamCodeIsRefused()
    {
        Succeeded(await Run("teams", "add", "SS", "--name", "Student Success"));

        FailedWith(await Run("teams", "add", "ss", "--name", "Again"), "already exists");
    }

    [Theory]
    [InlineData("S S")]
    [InlineData("WAY-TOO-LONG-A-CODE")]
    [InlineData("ß")]
    public async Task BadTeamCodeIsRefused(string code) =>
        FailedWith(await Run("teams", "add", code, "--name", "x"), "is not a department code");

    [Fact]
    public async Task BadTeamCodeIsRefusedAlikeByEveryCommandThatNamesATeam()
    {
        FailedWith(await CliRunner.RunAsync(database, ["users", "add", "a@college.edu", "--staff-id", "A1", "--role", "admin", "--team", "bad!", "--password-stdin"],
            "long enough password"), "is not a department code");
        FailedWith(await Run("fields", "add", "bad!", "Major"), "is not a department code");
        FailedWith(await Run("credentials", "create", "--name", "x", "--team", "bad!"), "is not a department code");
    }

    [Fact]
    public async Task GlobalOptionsMayStandAnywhere()
    {
        var before = await CadenceCliRun(["--data", database.DataDirectory, "teams", "add", "SS", "--name", "One"]);
        var after = await CadenceCliRun(["teams", "list", "--data", database.DataDirectory, "--json"]);

        Assert.Equal(0, before.ExitCode);
        Assert.Contains("\"SS\"", after.Out);
    }

    static async Task<CliResult> CadenceCliRun(string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await Cadence.Cli.CadenceCli.RunAsync(args, new StringReader(""), output, error);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task UsersAdd()
    {
        Succeeded(await Run("teams", "add", "SS", "--name", "Student Success"));

        Succeeded(await CliRunner.RunAsync(database, ["users", "add", "owner@college.edu", "--staff-id", "O1", "--role", "owner", "--password-stdin"], "correct horse battery\n"));
        var admin = await CliRunner.RunAsync(database, ["users", "add", "Ada@College.edu", "--staff-id", "A1", "--role", "admin", "--team", "ss", "--password-stdin", "--json"], "another long password\n");

        Succeeded(admin);
        Assert.Contains("\"email\": \"ada@college.edu\"", admin.Out);
        Assert.Contains("\"role\": \"admin\"", admin.Out);
        // Passwords are kept only as a slow salted hash (PBKDF2, ASP.NET Core Identity's v3 format).
        var rows = await RawRows.DumpAsync(database);
        Assert.DoesNotContain("correct horse battery", rows);
        Assert.DoesNotContain("another long password", rows);
        Assert.Contains("|AQAAAA", rows);
    }

    [Fact]
    public async Task UsersAddErrors()
    {
        Succeeded(await Run("teams", "add", "SS", "--name", "Student Success"));
        Succeeded(await CliRunner.RunAsync(database, ["users", "add", "a@college.edu", "--staff-id", "A1", "--role", "owner", "--password-stdin"], "long enough password"));

        FailedWith(await Run("users", "add", "b@college.edu", "--staff-id", "B1", "--role", "owner"), "--password-stdin");
        FailedWith(await CliRunner.RunAsync(database, ["users", "add", "b@college.edu", "--staff-id", "B1", "--role", "admin", "--password-stdin"], "long enough password"), "--team");
        FailedWith(await CliRunner.RunAsync(database, ["users", "add", "b@college.edu", "--staff-id", "B1", "--role", "user", "--team", "NOPE", "--password-stdin"], "long enough password"), "no team 'NOPE'");
        FailedWith(await CliRunner.RunAsync(database, ["users", "add", "b@college.edu", "--staff-id", "B1", "--role", "owner", "--password-stdin"], "short"), "password");
        FailedWith(await CliRunner.RunAsync(database, ["users", "add", "A@college.edu", "--staff-id", "B1", "--role", "owner", "--password-stdin"], "long enough password"), "already exists");
        FailedWith(await CliRunner.RunAsync(database, ["users", "add", "b@college.edu", "--staff-id", "A1", "--role", "owner", "--password-stdin"], "long enough password"), "staff id 'A1' already exists");
        FailedWith(await CliRunner.RunAsync(database, ["users", "add", "not-an-email", "--staff-id", "C1", "--role", "owner", "--password-stdin"], "long enough password"), "is not an email address");
        Assert.NotEqual(0, (await Run("users", "add", "c@college.edu", "--staff-id", "C1", "--role", "emperor", "--password-stdin")).ExitCode);
    }

    [Fact]
    public async Task UsersListRoleAndDisable()
    {
        Succeeded(await Run("teams", "add", "SS", "--name", "Student Success"));
        Succeeded(await CliRunner.RunAsync(database, ["users", "add", "o@college.edu", "--staff-id", "O1", "--role", "owner", "--name", "Olive", "--password-stdin"], "long enough password"));
        Succeeded(await CliRunner.RunAsync(database, ["users", "add", "u@college.edu", "--staff-id", "U1", "--role", "user", "--team", "SS", "--password-stdin"], "long enough password"));

        Succeeded(await Run("users", "role", "u@college.edu", "--team", "ss", "--role", "admin"));
        var list = await Run("users", "list", "--json");
        Succeeded(list);
        Assert.Contains("\"admin:SS\"", list.Out);
        Assert.Contains("\"name\": \"Olive\"", list.Out);

        Succeeded(await CliRunner.RunAsync(database, ["users", "password", "u@college.edu", "--password-stdin"], "a reset password\n"));
        FailedWith(await CliRunner.RunAsync(database, ["users", "password", "u@college.edu", "--password-stdin"], "short\n"), "password must have");
        FailedWith(await Run("users", "password", "u@college.edu"), "--password-stdin");
        Assert.DoesNotContain("a reset password", await RawRows.DumpAsync(database));

        Succeeded(await Run("users", "disable", "u@college.edu"));
        Assert.Contains("disabled", (await Run("users", "list")).Out);
        FailedWith(await Run("users", "disable", "o@college.edu"), "last owner");
        FailedWith(await Run("users", "disable", "nobody@college.edu"), "No user has the email");
        FailedWith(await Run("users", "role", "u@college.edu", "--team", "SS", "--role", "emperor"), "not a team role");
        FailedWith(await Run("users", "role", "u@college.edu", "--team", "NOPE", "--role", "user"), "no team 'NOPE'");
    }

    [Fact]
    public async Task CredentialsCreatePrintsKeyAndSecretOnce()
    {
        Succeeded(await Run("teams", "add", "SS", "--name", "Student Success"));

        var human = await Run("credentials", "create", "--name", "Banner nightly");
        var json = await Run("credentials", "create", "--name", "Slate", "--scope", "contacts:read", "--scope", "contacts:write",
            "--team", "ss", "--expires-in", "90d", "--rate-limit", "20", "--json");

        Succeeded(human);
        Assert.Contains("Key:     cdk_", human.Out);
        Assert.Contains("Secret:  cds_", human.Out);
        Assert.Contains("shown only this once", human.Out);
        var body = JsonDocument.Parse(json.Out).RootElement;
        Assert.StartsWith("cdk_", body.GetProperty("key").GetString());
        Assert.True(SecretFormat.IsSecret(body.GetProperty("secret").GetString()));
        Assert.Equal("Slate", body.GetProperty("name").GetString());
        Assert.Equal(["contacts:read", "contacts:write"], body.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["SS"], body.GetProperty("teams").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(20, body.GetProperty("rateLimit").GetInt32());
        var expiresAt = body.GetProperty("expiresAt").GetDateTime();
        Assert.InRange(expiresAt, DateTime.UtcNow.AddDays(89.9), DateTime.UtcNow.AddDays(90.1));
    }

    [Fact]
    public async Task CredentialsCreateErrors()
    {
        FailedWith(await Run("credentials", "create", "--name", "x", "--scope", "contacts:delete"), "Unknown scope 'contacts:delete'");
        FailedWith(await Run("credentials", "create", "--name", "x", "--expires-in", "ninety days"), "is not a duration");
        FailedWith(await Run("credentials", "create", "--name", "x", "--expires-in", "0"), "expiry");
        FailedWith(await Run("credentials", "create", "--name", "x", "--team", "NOPE"), "no team 'NOPE'");
        FailedWith(await Run("credentials", "create", "--name", " "), "needs a name");
        FailedWith(await Run("credentials", "create", "--name", "x", "--rate-limit", "0"), "rate limit");
        Assert.NotEqual(0, (await Run("credentials", "create")).ExitCode);
        Assert.DoesNotContain("\"name\"", (await Run("credentials", "list", "--json")).Out);
    }

    [Fact]
    public async Task CredentialsListShowsEverythingButTheSecret()
    {
        var created = JsonDocument.Parse((await Run("credentials", "create", "--name", "Banner nightly", "--json")).Out).RootElement;
        var secret = created.GetProperty("secret").GetString()!;

        var table = await Run("credentials", "list");
        var json = await Run("credentials", "list", "--json");

        Succeeded(table);
        Assert.Contains("KEY", table.Out);
        Assert.Contains("LAST USED", table.Out);
        Assert.Contains("Banner nightly", table.Out);
        Assert.Contains("active", table.Out);
        Assert.Contains("never", table.Out);
        var row = Assert.Single(JsonDocument.Parse(json.Out).RootElement.EnumerateArray());
        Assert.Equal(created.GetProperty("key").GetString(), row.GetProperty("key").GetString());
        Assert.Equal("active", row.GetProperty("status").GetString());
        Assert.StartsWith("cli:", row.GetProperty("createdBy").GetString());
        Assert.DoesNotContain(secret, table.Out + json.Out);
        Assert.False(row.TryGetProperty("secret", out _));
    }

    [Fact]
    public async Task CredentialsRevoke()
    {
        var key = JsonDocument.Parse((await Run("credentials", "create", "--name", "x", "--json")).Out).RootElement.GetProperty("key").GetString()!;

        var revoked = await Run("credentials", "revoke", key, "--reason", "left on a laptop");
        var again = await Run("credentials", "revoke", key);
        var list = await Run("credentials", "list", "--json");

        Succeeded(revoked);
        Assert.Contains("Revoked " + key, revoked.Out);
        Succeeded(again);
        Assert.Contains("\"status\": \"revoked\"", list.Out);
        Assert.Contains("\"revokedReason\": \"left on a laptop\"", list.Out);
        FailedWith(await Run("credentials", "revoke", "cdk_doesnotexist"), "no credential with key 'cdk_doesnotexist'");
    }

    [Fact]
    public async Task CredentialsRoll()
    {
        var created = JsonDocument.Parse((await Run("credentials", "create", "--name", "x", "--json")).Out).RootElement;
        var key = created.GetProperty("key").GetString()!;

        var rolled = await Run("credentials", "roll", key, "--json");
        var body = JsonDocument.Parse(rolled.Out).RootElement;

        Succeeded(rolled);
        Assert.Equal(key, body.GetProperty("key").GetString());
        Assert.NotEqual(created.GetProperty("secret").GetString(), body.GetProperty("secret").GetString());
        Assert.InRange(body.GetProperty("oldSecretWorksUntil").GetDateTime(), DateTime.UtcNow.AddHours(23.9), DateTime.UtcNow.AddHours(24.1));
        FailedWith(await Run("credentials", "roll", key, "--grace", "8d"), "0 to 7 days");
        FailedWith(await Run("credentials", "roll", key, "--grace", "soon"), "is not a duration");
        FailedWith(await Run("credentials", "roll", "cdk_nope"), "no credential");
        Succeeded(await Run("credentials", "revoke", key));
        FailedWith(await Run("credentials", "roll", key), "revoked");
    }

    [Fact]
    public async Task MigrateBringsTheEmbeddedDatabaseUpToDate()
    {
        var result = await Run("migrate");

        Succeeded(result);
        Assert.Contains("SQLite database is on the current schema", result.Out);
        Assert.True(File.Exists(Path.Combine(database.DataDirectory, "cadence.db")));
    }

    [Fact]
    public async Task TheRealExecutableReportsErrorsWithAnExitCode()
    {
        var cadence = Path.Combine(AppContext.BaseDirectory, "cadence.dll");
        var start = new ProcessStartInfo("dotnet", ["exec", cadence, "credentials", "revoke", "cdk_nope", "--data", database.DataDirectory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("error: There is no credential with key 'cdk_nope'.", error);
    }
}
