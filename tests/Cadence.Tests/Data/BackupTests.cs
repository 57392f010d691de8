using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cadence.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Cadence.Tests.Data;

/// <summary>`cadence backup` and `cadence restore` on the embedded database.</summary>
public sealed class BackupTests
{
    [Fact]
    public async Task ABackupTakenUnderLoadIsWholeAndHoldsEveryBatchCommittedBeforeIt()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        Assert.Equal(0, (await CliRunner.RunAsync(database, ["teams", "add", "SS", "--name", "Student Success"])).ExitCode);
        var created = await CliRunner.CreateCredentialAsync(database, "load", "--rate-limit", "10000");
        await using var server = await ServerProcess.StartAsync(database);
        using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(1) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", created.Basic);
        var ct = TestContext.Current.CancellationToken;

        // Imports of 500 new contacts each, and a text to each batch's first contact, until told to stop (at most a minute).
        var committed = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var load = Task.Run(async () =>
        {
            for (var batch = 0; !stop.IsCancellationRequested && batch < 400; batch++)
            {
                var rows = Enumerable.Range(0, 500).Select(i => new
                {
                    uniqueCampusId = $"B{batch:D3}-{i:D3}", firstName = "F", lastName = "L", mobileNumber = $"{2002000000L + batch * 1000 + i}",
                });
                var answer = await client.PostAsync("/v2/contacts/SS/import", new StringContent(JsonSerializer.Serialize(new { contacts = rows }), Encoding.UTF8, "application/json"), ct);
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                committed.Enqueue(JsonDocument.Parse(await answer.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("batchIdentifier").GetString()!);
                var text = new { departmentCode = "SS", mobileNumber = $"{2002000000L + batch * 1000}", messageContent = "Registration opens Monday." };
                Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v2/messages/CreateAndSend", new StringContent(JsonSerializer.Serialize(text), Encoding.UTF8, "application/json"), ct)).StatusCode);
            }
        }, ct);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(committed.Count >= 3 || load.IsCompleted), TimeSpan.FromSeconds(60)));
        var before = committed.ToArray();
        var target = Path.Combine(database.DataDirectory, "backups", "nightly.db");

        var result = await CliRunner.RunAsync(database, ["backup", "--to", target]);
        await Task.Delay(300, ct); // let the load go on a little after the copy, as a running campus would
        await stop.CancelAsync();
        await load;

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("integrity checked", result.Out);
        Assert.Contains("pepper.key", result.Out);
        Assert.Equal([target], Directory.GetFiles(Path.GetDirectoryName(target)!)); // no partial file left
        using var copy = new SqliteConnection($"Data Source={target};Mode=ReadOnly;Pooling=False");
        copy.Open();
        using var check = copy.CreateCommand();
        check.CommandText = "PRAGMA integrity_check;";
        Assert.Equal("ok", check.ExecuteScalar());
        check.CommandText = "SELECT Id FROM ImportBatches";
        var inBackup = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using (var reader = check.ExecuteReader())
        {
            while (reader.Read())
            {
                inBackup.Add(reader.GetString(0));
            }
        }
        Assert.All(before, id => Assert.Contains(id, inBackup));
        check.CommandText = "SELECT COUNT(*) FROM Contacts";
        Assert.Equal(inBackup.Count * 500L, (long)check.ExecuteScalar()!);
    }

    [Fact]
    public async Task RestoreIsRefusedWhileAServerRunsThenReplacesTheDatabaseAndKeepsTheOldOne()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        Assert.Equal(0, (await CliRunner.RunAsync(database, ["teams", "add", "SS", "--name", "Student Success"])).ExitCode);
        var target = Path.Combine(database.DataDirectory, "before-adm.db");
        Assert.Equal(0, (await CliRunner.RunAsync(database, ["backup", "--to", target])).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(database, ["teams", "add", "ADM", "--name", "Admissions"])).ExitCode);

        CliResult refused;
        await using (var app = await CadenceApp.StartAsync(database))
        {
            refused = await CliRunner.RunAsync(database, ["restore", target]);
        }
        var restored = await CliRunner.RunAsync(database, ["restore", target]);
        var teams = await CliRunner.RunAsync(database, ["teams", "list", "--json"]);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("server is running", refused.Error);
        Assert.True(restored.ExitCode == 0, restored.Error);
        Assert.Equal(["SS"], JsonDocument.Parse(teams.Out).RootElement.EnumerateArray().Select(t => t.GetProperty("departmentCode").GetString()));
        var kept = Assert.Single(Directory.GetFiles(database.DataDirectory, "cadence.db.replaced-*"));
        Assert.Contains(kept, restored.Out);
        using var old = new SqliteConnection($"Data Source={kept};Mode=ReadOnly;Pooling=False");
        old.Open();
        using var count = old.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM Teams";
        Assert.Equal(2L, (long)count.ExecuteScalar()!);
    }

    [Fact]
    public async Task RestoreRefusesABackupMadeWithAnotherPepperOrThatIsNoDatabase()
    {
        await using var source = await TestDatabase.CreateAsync(Store.Sqlite);
        await using var other = await TestDatabase.CreateAsync(Store.Sqlite);
        Assert.Equal(0, (await CliRunner.RunAsync(source, ["teams", "add", "SS", "--name", "Student Success"])).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(other, ["teams", "list"])).ExitCode);
        var target = Path.Combine(source.DataDirectory, "copy.db");
        Assert.Equal(0, (await CliRunner.RunAsync(source, ["backup", "--to", target])).ExitCode);
        var garbage = Path.Combine(other.DataDirectory, "garbage.db");
        await File.WriteAllTextAsync(garbage, "not a database at all, just text", TestContext.Current.CancellationToken);

        var otherPepper = await CliRunner.RunAsync(other, ["restore", target]);
        var notDatabase = await CliRunner.RunAsync(other, ["restore", garbage]);
        var exists = await CliRunner.RunAsync(source, ["backup", "--to", target]);

        Assert.Equal(1, otherPepper.ExitCode);
        Assert.Contains("another pepper", otherPepper.Error);
        Assert.Equal(1, notDatabase.ExitCode);
        Assert.Contains("not a readable SQLite database", notDatabase.Error);
        Assert.Equal(1, exists.ExitCode);
        Assert.Contains("already exists", exists.Error);
        Assert.DoesNotContain("   at ", otherPepper.Error + notDatabase.Error + exists.Error);
        Assert.Empty(Directory.GetFiles(other.DataDirectory, "cadence.db.replaced-*"));
    }

    [Fact]
    public async Task OnPostgresBackupAndRestoreNameThePostgresToolsWithoutThePassword()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Postgres);

        var backup = await CliRunner.RunAsync(database, ["backup", "--to", "/tmp/nightly.dump"]);
        var restore = await CliRunner.RunAsync(database, ["restore", "/tmp/nightly.dump"]);

        Assert.Equal(1, backup.ExitCode);
        Assert.Contains("pg_dump --format=custom --file=/tmp/nightly.dump", backup.Error);
        Assert.Contains("pg_restore", restore.Error);
        Assert.DoesNotContain("Password=cadence", backup.Error + restore.Error);
        Assert.DoesNotContain("--password", backup.Error);
    }
}
