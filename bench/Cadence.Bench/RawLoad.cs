using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cadence.Bench;

/// <summary>
/// The limit an import is compared with: the same rows, already in their stored form, loaded by the database's
/// own bulk loader (sqlite3 .import, psql \copy) into a new table with the columns and indexes of the server's
/// Contacts table, read from the database itself so that the comparison follows the schema.
/// Neither loader checks foreign keys (the sqlite3 shell leaves them off; LIKE does not copy them).
/// </summary>
static class RawLoad
{
    public static string Tool(ServerProcess server) => server.Database is null ? "sqlite3 .import" : "psql \\copy";

    public static async Task<TimeSpan> RunAsync(ServerProcess server, Person[] people)
    {
        var table = "raw_" + Guid.NewGuid().ToString("N")[..8];
        var file = Path.Combine(server.DataDirectory, table + ".csv");
        var postgres = server.Database is not null;
        var columns = postgres ? await PostgresColumnsAsync(server.Database!) : await SqliteColumnsAsync(server);
        var organization = Guid.NewGuid();
        var team = Guid.NewGuid();
        var now = postgres ? DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.ffffff") + "+00" : DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF");
        string Uuid(Guid id) => postgres ? id.ToString() : id.ToString().ToUpperInvariant();
        string Value(string column, Person p) => column switch
        {
            "Id" => Uuid(Guid.CreateVersion7()),
            "OrganizationId" => Uuid(organization),
            "TeamId" => Uuid(team),
            "UniqueCampusId" => p.Id,
            "FirstName" => p.First,
            "LastName" => p.Last,
            "MobileNumber" => $"1-{p.Mobile[..3]}-{p.Mobile[3..6]}-{p.Mobile[6..]}",
            "OptedOut" => "0",
            "CustomFields" => $"\"{{\"\"Major\"\":\"\"{p.Major}\"\"}}\"",
            "CreatedAt" or "UpdatedAt" => now,
            _ => "",
        };
        await File.WriteAllLinesAsync(file, people.Select(p => string.Join(',', columns.Select(c => Value(c, p)))));

        var clock = Stopwatch.StartNew();
        if (postgres)
        {
            var builder = new NpgsqlConnectionStringBuilder(server.Database);
            Environment.SetEnvironmentVariable("PGPASSWORD", builder.Password);
            await RunAsync("psql", ["-h", builder.Host!, "-p", builder.Port.ToString(), "-U", builder.Username!, "-d", builder.Database!, "-q", "-v", "ON_ERROR_STOP=1",
                "-c", $"CREATE TABLE {table} (LIKE \"Contacts\" INCLUDING ALL)",
                "-c", $"\\copy {table} ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) FROM '{file}' WITH (FORMAT csv)"]);
        }
        else
        {
            var schema = await SqliteSchemaAsync(server);
            await RunAsync("sqlite3", [Path.Combine(server.DataDirectory, "cadence.db"),
                string.Join(";\n", schema.Select(sql => sql.Replace("Contacts", table))) + ";", ".mode csv", $".import {file} {table}"]);
        }
        var elapsed = clock.Elapsed;
        File.Delete(file);
        return elapsed;
    }

    static async Task<List<string>> SqliteColumnsAsync(ServerProcess server) =>
        await SqliteQueryAsync(server, "SELECT name FROM pragma_table_info('Contacts') ORDER BY cid");

    /// <summary>The table's CREATE TABLE and its indexes' CREATE INDEX, as SQLite keeps them.</summary>
    static async Task<List<string>> SqliteSchemaAsync(ServerProcess server) =>
        await SqliteQueryAsync(server, "SELECT sql FROM sqlite_master WHERE tbl_name = 'Contacts' AND sql IS NOT NULL ORDER BY type DESC");

    static async Task<List<string>> SqliteQueryAsync(ServerProcess server, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "cadence.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = new SqliteCommand(sql, connection);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }
        return rows;
    }

    static async Task<List<string>> PostgresColumnsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'Contacts' ORDER BY ordinal_position", connection);
        var columns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add(reader.GetString(0));
        }
        return columns;
    }

    static async Task RunAsync(string program, string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await output;
        if (process.ExitCode != 0 || error.Length > 0)
        {
            throw new InvalidOperationException($"{program} failed: {error}");
        }
    }
}
