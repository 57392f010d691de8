using System.Diagnostics;
using Cadence.Cli;

namespace Cadence.Tests.Cli;

/// <summary>
/// `cadence --help` and `cadence serve --help` print their usage and stop: `serve` is the default command, so help
/// must never start a server or create a database. The data directory named is one that does not exist yet.
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

    async Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        // A server would run until this timeout; help returns at once.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var clock = Stopwatch.StartNew();
        var exit = await Program.RunAsync([.. args, "--data", data], new CliContext(new StringReader(""), output, error), timeout.Token);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "the command ran like a server: " + error);
        return (exit, output.ToString(), error.ToString());
    }

    void NothingWasCreated() => Assert.False(Directory.Exists(data), "help created the data directory");

    [Fact]
    public async Task HelpPrintsTheCommandsAndExitsWithoutStartingAServer()
    {
        var result = await RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Out);
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

    [Fact]
    public async Task TheRealExecutableCallsItselfCadenceInItsUsage()
    {
        var cadence = Path.Combine(AppContext.BaseDirectory, "cadence.dll");
        var start = new ProcessStartInfo("dotnet", ["exec", cadence, "--help", "--data", data]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(0, process.ExitCode);
        Assert.Contains("cadence [command] [options]", await output);
        Assert.Equal("", error);
        NothingWasCreated();
    }
}
