using Npgsql;

namespace Cadence.Tests.Infrastructure;

public enum Store { Sqlite, Postgres }

/// <summary>
/// A database of a test's own: a fresh SQLite file in a temporary data directory, or a fresh PostgreSQL
/// database (dropped afterwards). No test sees another's rows.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public Store Store { get; }
    public string DataDirectory { get; }
    public string? ConnectionString { get; }
    readonly string? name;

    TestDatabase(Store store, string dataDirectory, string? connectionString, string? name)
    {
        Store = store;
        DataDirectory = dataDirectory;
        ConnectionString = connectionString;
        this.name = name;
    }

    public static async Task<TestDatabase> CreateAsync(Store store)
    {
        var directory = Path.Combine(Path.GetTempPath(), "cadence-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        if (store == Store.Sqlite)
        {
            return new TestDatabase(store, directory, null, null);
        }
        var admin = await PostgresServer.RequireAsync();
        var name = "cadence_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        return new TestDatabase(store, directory, connectionString, name);
    }

    /// <summary>Configuration for a server on this database.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Cadence:DataDirectory"] = DataDirectory,
        ["Cadence:Database"] = ConnectionString ?? "",
        ["Cadence:MigrateOnStart"] = "true",
    };

    /// <summary>The global options a CLI command needs to reach this database.</summary>
    public string[] CliArgs => ConnectionString is null ? ["--data", DataDirectory] : ["--data", DataDirectory, "--database", ConnectionString];

    public async ValueTask DisposeAsync()
    {
        if (name is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(await PostgresServer.RequireAsync());
            await connection.OpenAsync();
            // An autovacuum worker may be on the database for a moment; cleaning up must not fail the test.
            for (var attempt = 0; attempt < 5; attempt++)
            {
                try
                {
                    await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
                    await drop.ExecuteNonQueryAsync();
                    break;
                }
                catch (PostgresException)
                {
                    await Task.Delay(200);
                }
            }
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere; the temp directory is cleaned eventually.
        }
    }
}

/// <summary>
/// Finds the PostgreSQL server for tests: CADENCE_TEST_POSTGRES, else a local "cadence" role (what
/// .ci/services.sh sets up). Without one the test is skipped with the reason, except under CI=true, where it fails.
/// </summary>
public static class PostgresServer
{
    const string Default = "Host=127.0.0.1;Port=5432;Username=cadence;Password=cadence;Database=postgres";
    static readonly Lazy<Task<(string ConnectionString, string? Problem)>> Probe = new(ProbeAsync);

    public static async Task<string> RequireAsync()
    {
        var (connectionString, problem) = await Probe.Value;
        if (problem is null)
        {
            return connectionString;
        }
        var reason = $"PostgreSQL is not reachable ({problem}). Run `source .ci/services.sh` or set CADENCE_TEST_POSTGRES.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail("CI=true, so PostgreSQL tests may not be skipped: " + reason);
        }
        Assert.Skip(reason);
        return "";
    }

    static async Task<(string, string?)> ProbeAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable("CADENCE_TEST_POSTGRES") ?? Default;
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 3 };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync();
            return (connectionString, null);
        }
        catch (Exception e)
        {
            return (connectionString, e.Message);
        }
    }
}
