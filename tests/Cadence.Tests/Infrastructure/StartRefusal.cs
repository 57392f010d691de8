using System.Text.RegularExpressions;

namespace Cadence.Tests.Infrastructure;

/// <summary>
/// "A bad setting stops the start": `cadence serve` with the setting exits 1 before it serves, says what is wrong
/// (each expected part appears on stderr), and shows the operator neither a stack trace nor a .NET type name.
/// </summary>
public static partial class StartRefusal
{
    /// <summary>One setting, on a fresh SQLite database.</summary>
    public static Task<CliResult> AssertAsync(string setting, string value, params string[] expectedMessageParts) =>
        AssertAsync(new Dictionary<string, string> { [setting] = value }, expectedMessageParts);

    /// <summary>Settings that only together are wrong, on a fresh SQLite database.</summary>
    public static async Task<CliResult> AssertAsync(IReadOnlyDictionary<string, string> settings, params string[] expectedMessageParts)
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        return await AssertAsync(database, [.. settings.Select(s => $"--{s.Key}={s.Value}")], expectedMessageParts);
    }

    /// <summary>
    /// Serve's own arguments (options, --Section:Key=value settings) on a given database; the server listens on a
    /// free loopback port unless the arguments name --urls.
    /// </summary>
    public static async Task<CliResult> AssertAsync(TestDatabase database, string[] serveArguments, params string[] expectedMessageParts)
    {
        string[] urls = serveArguments.Contains("--urls") ? [] : ["--urls", "http://127.0.0.1:0"];
        var result = await CliRunner.RunAsync(database, ["serve", .. urls, .. serveArguments]);

        // A server that started would run until the runner's timeout and exit 0.
        Assert.True(result.ExitCode == 1, $"exit code {result.ExitCode}: {result.Error}");
        foreach (var part in expectedMessageParts)
        {
            Assert.Contains(part, result.Error);
        }
        var output = result.Error + result.Out;
        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotMatch(TypeName(), output);
        return result;
    }

    // A namespace-qualified type (System.FormatException, Cadence.Data.DataOptions) or any *Exception.
    [GeneratedRegex(@"\b(System|Microsoft|Npgsql|Cadence)\.[A-Z]\w*|\w+Exception\b")]
    private static partial Regex TypeName();
}
