namespace Cadence.Tests.Cli;

/// <summary>
/// `cadence --help` and `cadence serve --help` print their usage and stop: `serve` is the default command, so help
/// must never start a server or create a database. The data directory named is one that does not exist yet. Each runs
/// the real executable, as an operator does.
/// </summary>
public sealed class HelpTests : IDisposable
{
    readonly string data = Path.Combine(Path.GetTempPath(), "cadence-tests", Guid.NewGuid().ToString("N"), "data");

    public void Dispose()
    {
        var parent = Path.GetDirectoryName(data)!;
        if (Directory.Exists(parent))
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    // A server would run until the timeout; help returns at once.
    Task<CadenceRun> RunAsync(params string[] args) => CadenceProcess.RunAsync([.. args, "--data", data], timeout: TimeSpan.FromSeconds(30));

    void NothingWasCreated() => Assert.False(Directory.Exists(data), "help created the data directory");

    [Fact]
    public async Task HelpPrintsTheCommandsAndExitsWithoutStartingAServer()
    {
        var result = await RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Out);
        Assert.Contains("cadence [command] [options]", result.Out); // its own name, not the host's
        foreach (var command in new[] { "serve", "migrate", "teams", "users", "credentials", "webhooks" })
        {
            Assert.Contains(command, result.Out);
        }
        Assert.Equal("", result.Error);
        NothingWasCreated();
    }

    [Fact]
    public async Task ServeHelpPrintsItsOptionsAndExitsWithoutStartingAServer()
    {
        var result = await RunAsync("serve", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Out);
        Assert.Contains("serve [options]", result.Out);
        Assert.Contains("--urls", result.Out);
        Assert.Contains("--metrics-urls", result.Out);
        Assert.Equal("", result.Error);
        NothingWasCreated();
    }

    [Fact]
    public async Task AnUnknownOptionAfterServeExitsNonZeroNamingItAndCreatesNothing()
    {
        var result = await RunAsync("serve", "--frobnicate");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Unknown option '--frobnicate'", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
        NothingWasCreated();
    }
}
