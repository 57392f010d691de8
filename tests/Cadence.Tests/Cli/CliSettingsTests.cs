using Cadence.Cli;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Cli;

/// <summary>Management commands read the same appsettings.json beside the executable as the server does.</summary>
public sealed class CliSettingsTests
{
    [Fact]
    public async Task ACommandUsesTheDataDirectoryNamedInAppSettings()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        var settings = Directory.CreateTempSubdirectory("cadence-settings-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(settings.FullName, "appsettings.json"),
                $$"""{ "Cadence": { "DataDirectory": {{System.Text.Json.JsonSerializer.Serialize(database.DataDirectory)}} } }""", TestContext.Current.CancellationToken);

            // No --data: only appsettings.json names the directory.
            var added = await RunAsync(settings.FullName, "teams", "add", "SS", "--name", "Student Success");
            Assert.True(added.ExitCode == 0, added.Error);

            // The team is in that directory's database, as `--data` would have found it.
            var listed = await CliRunner.RunAsync(database, ["teams", "list"]);
            Assert.Contains("Student Success", listed.Out);
        }
        finally
        {
            settings.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task AnOptionOnTheCommandLineWinsOverAppSettings()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        var settings = Directory.CreateTempSubdirectory("cadence-settings-");
        var elsewhere = Directory.CreateTempSubdirectory("cadence-elsewhere-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(settings.FullName, "appsettings.json"),
                $$"""{ "Cadence": { "DataDirectory": {{System.Text.Json.JsonSerializer.Serialize(elsewhere.FullName)}} } }""", TestContext.Current.CancellationToken);

            var added = await RunAsync(settings.FullName, "teams", "add", "SS", "--name", "Student Success", "--data", database.DataDirectory);

            Assert.True(added.ExitCode == 0, added.Error);
            Assert.Contains("Student Success", (await CliRunner.RunAsync(database, ["teams", "list"])).Out);
            Assert.Empty(Directory.GetFiles(elsewhere.FullName));
        }
        finally
        {
            settings.Delete(recursive: true);
            elsewhere.Delete(recursive: true);
        }
    }

    static async Task<CliResult> RunAsync(string settingsDirectory, params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var exit = await CadenceCli.RunAsync(args, new CliContext(new StringReader(""), output, error) { SettingsDirectory = settingsDirectory },
            TestContext.Current.CancellationToken);
        return new CliResult(exit, output.ToString(), error.ToString());
    }
}
