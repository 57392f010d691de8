using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Cli;

/// <summary>`serve` is the default command, so a mistyped command or option must be refused, not start a server.</summary>
public sealed class ServeArgumentsTests : IAsyncLifetime
{
    TestDatabase database = null!;

    public async ValueTask InitializeAsync() => database = await TestDatabase.CreateAsync(Store.Sqlite);

    public ValueTask DisposeAsync() => database.DisposeAsync();

    // The real executable; a server would run until the timeout, a refusal returns at once.
    Task<CadenceRun> RunQuicklyAsync(params string[] args) => CadenceProcess.RunAsync([.. args, .. database.CliArgs], timeout: TimeSpan.FromSeconds(30));

    [Fact]
    public async Task UnknownCommandIsRefusedWithASuggestionAndStartsNothing()
    {
        var result = await RunQuicklyAsync("teamz", "list");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'teamz' is not a cadence command", result.Error);
        Assert.Contains("Did you mean 'teams'?", result.Error);
        Assert.False(File.Exists(Path.Combine(database.DataDirectory, "cadence.db")), "nothing may be created");
    }

    [Fact]
    public async Task AnyUnknownWordIsRefused()
    {
        var result = await RunQuicklyAsync("frobnicate");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'frobnicate' is not a cadence command", result.Error);
        Assert.Contains("cadence --help", result.Error);
    }

    [Fact]
    public async Task UnknownOptionOfServeIsRefusedWithASuggestion()
    {
        var result = await RunQuicklyAsync("serve", "--url", "http://127.0.0.1:1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Unknown option '--url'", result.Error);
        Assert.Contains("Did you mean '--urls'?", result.Error);
    }

    [Fact]
    public async Task StrayArgumentAfterServeIsRefused()
    {
        var result = await RunQuicklyAsync("serve", "--Logging:LogLevel:Default=Warning", "extra");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Unexpected argument 'extra'", result.Error);
    }

    [Fact]
    public async Task VersionPrintsTheVersionAndTheCommit()
    {
        var result = await RunQuicklyAsync("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+\+[0-9a-f]{7,40}\s*$", result.Out);
    }

    [Fact]
    public async Task ConfigurationArgumentsStillStartTheServer()
    {
        // Both forms ASP.NET Core reads: "--Section:Key=value" and "--Section:Key value".
        await using var server = await ServerProcess.StartAsync(database, "--Cadence:OrganizationName", "Configured College", "--Cadence:DefaultRateLimit=7");
        using var client = new HttpClient { BaseAddress = server.Address };

        Assert.True((await client.GetAsync("/healthz", TestContext.Current.CancellationToken)).IsSuccessStatusCode);
    }
}
