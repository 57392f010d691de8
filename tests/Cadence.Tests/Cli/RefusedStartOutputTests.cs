using System.Diagnostics;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Cli;

/// <summary>
/// The real executable, refused at start by a setting checked while the host starts, says why in one line and exits 1:
/// no stack trace or .NET type name on either stream (the host's own "Hosting failed to start" line carried both).
/// </summary>
public sealed class RefusedStartOutputTests
{
    [Fact]
    public async Task ASettingRefusedWhileTheHostStartsPrintsOneMessageWithoutAStackTrace()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        var cadence = Path.Combine(AppContext.BaseDirectory, "cadence.dll");
        var start = new ProcessStartInfo("dotnet",
            ["exec", cadence, "serve", "--urls", "http://127.0.0.1:0", "--data", database.DataDirectory, "--Cadence:Retention:MessageBodyDays=0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        var printed = await output + error;

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("error: Cadence:Retention:MessageBodyDays is a number of days", error);
        Assert.DoesNotContain("   at ", printed);
        Assert.DoesNotContain("Exception", printed);
        Assert.DoesNotContain("Hosting failed to start", printed);
    }
}
