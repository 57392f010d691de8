using Cadence.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;

namespace Cadence.Tests.Cli;

/// <summary>
/// The real executable, refused at start by a setting or a database the host's start would have found, says why in
/// one `error:` line on stderr and exits 1. The checks run before the host starts, so the host never logs "Hosting
/// failed to start" (with the exception's type and stack trace) and nothing has to be filtered out of the log.
/// A worker that fails once the server runs is still logged by the host.
/// </summary>
public sealed class RefusedStartOutputTests
{
    [Theory]
    // Options validated at start (ValidateOnStart).
    [InlineData("--Cadence:Retention:MessageBodyDays=0", "Cadence:Retention:MessageBodyDays is a number of days")]
    [InlineData("--Cadence:Smtp:Host=127.0.0.1", "Cadence:Smtp:From is needed when Cadence:Smtp:Host is set")]
    // Settings read as the hosted services are made.
    [InlineData("--Cadence:Webhooks:Concurrency=0", "Cadence:Webhooks needs a positive Timeout")]
    [InlineData("--Cadence:Pepper=short", "The pepper (CADENCE_PEPPER) must be at least 32 characters")]
    public async Task ASettingTheStartRefusesPrintsOneErrorLineAndNoLoggedFailure(string setting, string message)
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);

        var result = await CadenceProcess.RunAsync(["serve", "--urls", "http://127.0.0.1:0", setting, .. database.CliArgs]);

        OneErrorLine(result, message);
    }

    [Fact]
    public async Task ADatabaseSetUpWithAnotherPepperPrintsOneErrorLineAndNoLoggedFailure()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        var migrate = await CadenceProcess.RunAsync(["migrate", .. database.CliArgs], new Dictionary<string, string> { ["CADENCE_PEPPER"] = new('a', 40) });
        Assert.True(migrate.ExitCode == 0, migrate.Printed);

        var result = await CadenceProcess.RunAsync(["serve", "--urls", "http://127.0.0.1:0", .. database.CliArgs],
            new Dictionary<string, string> { ["CADENCE_PEPPER"] = new('b', 40) });

        OneErrorLine(result, "This node's secret pepper differs from the one this database was set up with");
    }

    static void OneErrorLine(CadenceRun result, string message)
    {
        Assert.True(result.ExitCode == 1, $"exit code {result.ExitCode}: {result.Printed}");
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: " + message, line);
        Assert.DoesNotContain("   at ", result.Printed);
        Assert.DoesNotContain("Exception", result.Printed);
        Assert.DoesNotContain("Hosting failed to start", result.Printed);
        Assert.DoesNotContain("fail: ", result.Out);
    }

    [Fact]
    public async Task AWorkerThatFailsOnceTheServerRunsIsStillLoggedByTheHost()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        await using var app = new CadenceApp(database);
        await using var failing = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddHostedService<FailingWorker>()));

        try
        {
            _ = failing.Services; // starts the server
        }
        catch (ObjectDisposedException)
        {
            // The failure stops the host (the default StopHost behaviour); it may do so before the factory's start returns.
        }
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(app.Logs.All.Contains(FailingWorker.Message)), TimeSpan.FromSeconds(30)),
            "the failure was not logged: " + app.Logs.All);

        var logged = Assert.Single(app.Logs.Lines, l => l.StartsWith("Error Microsoft.Extensions.Hosting.Internal.Host:", StringComparison.Ordinal));
        Assert.Contains(FailingWorker.Message, logged);
        Assert.Contains("   at ", logged);
    }

    /// <summary>A worker that fails with Cadence's own exception after the start, as a misconfigured job might.</summary>
    sealed class FailingWorker : BackgroundService
    {
        public const string Message = "the worker failed after the start";

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new CadenceException(Message);
        }
    }
}
