using Npgsql;

namespace Cadence.Bench;

/// <summary>
/// Where a benchmark runs: the embedded SQLite default, or PostgreSQL when it is reachable. Each server it starts
/// has a new data directory and, on PostgreSQL, a new database dropped when the server stops: nothing is left
/// from an earlier server or run.
/// </summary>
sealed class Target
{
    Target(string name, string? postgresAdmin)
    {
        Name = name;
        this.postgresAdmin = postgresAdmin;
    }

    readonly string? postgresAdmin;

    public string Name { get; }

    public bool IsPostgres => postgresAdmin is not null;

    /// <summary>SQLite and PostgreSQL, or one of them with --sqlite-only / --postgres-only.</summary>
    public static async Task<List<Target>> ChooseAsync(string[] args)
    {
        var targets = new List<Target>();
        if (!Options.Flag(args, "--postgres-only"))
        {
            targets.Add(new("SQLite", null));
        }
        if (Options.Flag(args, "--sqlite-only"))
        {
            return targets;
        }
        var admin = Environment.GetEnvironmentVariable("CADENCE_TEST_POSTGRES")
            ?? "Host=127.0.0.1;Port=5432;Username=cadence;Password=cadence;Database=postgres";
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(admin) { Timeout = 3 }.ConnectionString);
            await connection.OpenAsync();
            targets.Add(new("PostgreSQL", admin));
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            System.Console.WriteLine("PostgreSQL: not reachable, skipped (run `source .ci/services.sh`)");
        }
        return targets;
    }

    public async Task<ServerProcess> StartAsync(params string[] settings)
    {
        if (postgresAdmin is null)
        {
            return await ServerProcess.StartAsync(null, settings);
        }
        var name = "cadence_bench_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync($"CREATE DATABASE {name}");
        var server = await ServerProcess.StartAsync(new NpgsqlConnectionStringBuilder(postgresAdmin) { Database = name }.ConnectionString, settings);
        server.AfterExit = async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        };
        return server;
    }

    async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(postgresAdmin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
