using System.Text.RegularExpressions;

namespace Cadence.Tests.Infrastructure;

/// <summary>
/// "A bad setting stops the start": `cadence serve` with the setting exits 1 before it serves, says what is wrong
/// (each expected part appears on stderr), and shows the operator neither a stack trace nor a .NET type name, nor a
/// logged failure.
/// </summary>
public static partial class StartRefusal
{
    /// <summary>One setting, on a fresh SQLite database.</summary>
    public static Task<CadenceRun> AssertAsync(string setting, string value, params string[] expectedMessageParts) =>
        AssertAsync(new Dictionary<string, string> { [setting] = value }, expectedMessageParts);

    /// <summary>Settings that only together are wrong, on a fresh SQLite database.</summary>
    public static async Task<CadenceRun> AssertAsync(IReadOnlyDictionary<string, string> settings, params string[] expectedMessageParts)
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        return await AssertAsync(database, [.. settings.Select(s => $"--{s.Key}={s.Value}")], expectedMessageParts);
    }

    /// <summary>
    /// Serve's own arguments (options, --Section:Key=value settings) on a given database, run by the real executable
    /// with its own logging, so that what the host logs is checked too; the server listens on a free loopback port
    /// unless the arguments name --urls.
    /// </summary>
    public static async Task<CadenceRun> AssertAsync(TestDatabase database, string[] serveArguments, params string[] expectedMessageParts)
    {
        string[] urls = serveArguments.Contains("--urls") ? [] : ["--urls", "http://127.0.0.1:0"];
        // A server that started would run until the timeout.
        var result = await CadenceProcess.RunAsync(["serve", .. urls, .. serveArguments, .. database.CliArgs], timeout: TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 1, $"exit code {result.ExitCode}: {result.Printed}");
        foreach (var part in expectedMessageParts)
        {
            Assert.Contains(part, result.Error);
        }
        // The console logger writes to stdout with each line's category (a type name): there, no failure is logged.
        Assert.DoesNotContain("   at ", result.Printed);
        Assert.DoesNotMatch(TypeName(), result.Error);
        Assert.DoesNotMatch(FailureLogged(), result.Out);
        return result;
    }

    // The console logger's error and critical lines ("fail: Microsoft.Extensions.Hosting.Internal.Host[11]").
    [GeneratedRegex(@"^(fail|crit): ", RegexOptions.Multiline)]
    private static partial Regex FailureLogged();

    // A namespace-qualified type (System.FormatException, Cadence.Data.DataOptions) or any *Exception.
    [GeneratedRegex(@"\b(System|Microsoft|Npgsql|Cadence)\.[A-Z]\w*|\w+Exception\b")]
    private static partial Regex TypeName();
}
