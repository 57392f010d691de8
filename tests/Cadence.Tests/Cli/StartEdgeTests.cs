using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Cadence.Tests.Infrastructure;
using Npgsql;

namespace Cadence.Tests.Cli;

/// <summary>
/// The real executable at the edges of its start: a port another program holds, a setting that does not convert, and
/// a signal while the start is still being checked. Each ends with one `error:` line on stderr and exit 1, no stack.
/// </summary>
public sealed class StartEdgeTests
{
    [Fact]
    public async Task APortInUsePrintsOneErrorLineNamingTheAddress()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)holder.LocalEndpoint).Port}";

        var result = await StartRefusal.AssertAsync(database, ["--urls", url], $"error: cannot listen on {url}: the address is already in use");

        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("Cadence:SqliteBusyTimeout", "abc", "error: Cadence:SqliteBusyTimeout must be a time span such as 00:00:30")]
    [InlineData("Cadence:DailyMessageCap", "many", "error: Cadence:DailyMessageCap must be a whole number.")]
    [InlineData("Cadence:MigrateOnStart", "maybe", "error: Cadence:MigrateOnStart must be true or false.")]
    // Read by the API key check on a request, not as the server starts: the start reads it now.
    [InlineData("Cadence:AuthFailureWindow", "soon", "error: Cadence:AuthFailureWindow must be a time span")]
    [InlineData("Cadence:ShutdownTimeout", "1 minute", "error: Cadence:ShutdownTimeout must be a time span")]
    public async Task ASettingThatDoesNotConvertIsOneErrorLine(string key, string value, string message)
    {
        var result = await StartRefusal.AssertAsync(key, value, message);

        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain(value, result.Error); // a secret under a wrong key is not echoed
    }

    [Fact]
    public async Task ASettingThatDoesNotConvertFromTheEnvironmentIsOneErrorLineForTheServerAndForACommand()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        var environment = new Dictionary<string, string> { ["Cadence__SqliteBusyTimeout"] = "abc" };

        string[][] lines = [["serve", "--urls", "http://127.0.0.1:0"], ["teams", "list"]];
        foreach (var line in lines)
        {
            var result = await CadenceProcess.RunAsync([.. line, .. database.CliArgs], environment, TimeSpan.FromSeconds(60));

            Assert.True(result.ExitCode == 1, $"{line[0]}: exit code {result.ExitCode}: {result.Printed}");
            var error = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error: Cadence:SqliteBusyTimeout must be a time span such as 00:00:30", error);
            Assert.DoesNotContain("   at ", result.Printed);
            Assert.DoesNotContain("Exception", result.Printed);
        }
    }

    [Theory]
    [InlineData("INT", "SIGINT")]
    [InlineData("TERM", "SIGTERM")]
    public async Task ASignalWhileTheStartWaitsForTheDatabaseStopsItCleanly(string signal, string name)
    {
        // A process started in the background by a shell without job control (`cmd &` in a script) ignores SIGINT, and
        // the server it starts inherits that: Ctrl+C cannot reach it, by Unix's rule, whatever Cadence does.
        if (signal == "INT" && IgnoresSigint())
        {
            Assert.Skip("this test process ignores SIGINT (started in the background by a shell), so its server would too");
        }
        await using var database = await TestDatabase.CreateAsync(Store.Postgres);
        var migrate = await CadenceProcess.RunAsync(["migrate", .. database.CliArgs]);
        Assert.True(migrate.ExitCode == 0, migrate.Printed);
        // Another session holds the organization's table: the start's check of the database waits for it.
        await using var holder = new NpgsqlConnection(database.ConnectionString);
        await holder.OpenAsync(TestContext.Current.CancellationToken);
        await using var transaction = await holder.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE \"Organizations\" IN ACCESS EXCLUSIVE MODE", holder, transaction))
        {
            await lockTable.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
        var signalled = new Stopwatch();

        var result = await CadenceProcess.RunAsync(["serve", "--urls", "http://127.0.0.1:0", .. database.CliArgs], timeout: TimeSpan.FromSeconds(90),
            whileRunning: async process =>
            {
                Assert.True(await Eventually.TrueAsync(() => WaitsForTheLockAsync(database), TimeSpan.FromSeconds(60)), "the start never waited for the lock");
                signalled.Start();
                using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
            });

        Assert.True(result.ExitCode == 1, $"exit code {result.ExitCode}: {result.Printed}");
        var error = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"error: stopped by {name} before the server started; nothing was served.", error);
        Assert.DoesNotContain("   at ", result.Printed);
        Assert.DoesNotContain("Exception", result.Printed);
        Assert.True(signalled.Elapsed < TimeSpan.FromSeconds(20), $"took {signalled.Elapsed} after the signal");
    }

    /// <summary>Whether SIGINT (signal 2) is in this process's ignored set, as /proc/self/status lists it.</summary>
    static bool IgnoresSigint()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0b10) != 0;
    }

    static async Task<bool> WaitsForTheLockAsync(TestDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'Organizations' AND NOT l.granted", connection);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }
}
