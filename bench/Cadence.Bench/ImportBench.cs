using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Cadence.Bench;

/// <summary>
/// 100,000 generated contacts imported into an empty team, then again unchanged, then with 10% changed;
/// as JSON and as CSV; on SQLite and on PostgreSQL. Beside it the same rows loaded raw into the same
/// database (sqlite3 .import, psql \copy): the limit to compare with.
/// </summary>
static class ImportBench
{
    const int Rows = 100_000;

    public static async Task<int> RunAsync(string[] args)
    {
        System.Console.WriteLine($"import: {Rows:N0} contacts per request, Release server on loopback, {Environment.ProcessorCount} cores");
        await RunOnAsync("SQLite", null);
        var postgres = Environment.GetEnvironmentVariable("CADENCE_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Username=cadence;Password=cadence;Database=postgres";
        var database = await CreatePostgresDatabaseAsync(postgres);
        if (database is null)
        {
            System.Console.WriteLine("PostgreSQL: not reachable, skipped (run `source .ci/services.sh`)");
            return 0;
        }
        try
        {
            await RunOnAsync("PostgreSQL", database);
        }
        finally
        {
            await DropPostgresDatabaseAsync(postgres, database);
        }
        return 0;
    }

    static async Task RunOnAsync(string name, string? database)
    {
        await using var server = await ServerProcess.StartAsync(database);
        foreach (var team in new[] { "JSON", "CSV" })
        {
            await server.CliAsync("teams", "add", team, "--name", team + " bench");
            await server.CliAsync("fields", "add", team, "Major");
        }
        var created = JsonDocument.Parse(await server.CliAsync("credentials", "create", "--name", "bench", "--rate-limit", "100000", "--json")).RootElement;
        using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{created.GetProperty("key").GetString()}:{created.GetProperty("secret").GetString()}")));

        // A running server has compiled its code paths and grown its heap long before a big import arrives: one full-size
        // import of each format into another team first, so that neither format pays for being measured first.
        await server.CliAsync("teams", "add", "WARM", "--name", "warm-up");
        await server.CliAsync("fields", "add", "WARM", "Major");
        foreach (var (makeBody, mediaType) in new (Func<Person[], byte[]>, string)[] { (Json, "application/json"), (Csv, "text/csv") })
        {
            for (var i = 0; i < 2; i++)
            {
                var warm = new ByteArrayContent(makeBody(Generate(changedEvery: i * 10)));
                warm.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
                (await client.PostAsync("/v2/contacts/WARM/import", warm)).EnsureSuccessStatusCode();
            }
        }

        var first = Generate(changedEvery: 0);
        var changed = Generate(changedEvery: 10);
        var results = new List<(string, double)>();
        foreach (var (label, makeBody, mediaType, team) in new (string, Func<Person[], byte[]>, string, string)[]
        {
            ("JSON", Json, "application/json", "JSON"),
            ("CSV", Csv, "text/csv", "CSV"),
        })
        {
            foreach (var (step, people) in new[] { ("first import", first), ("unchanged", first), ("10% changed", changed) })
            {
                var body = makeBody(people);
                var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
                var clock = Stopwatch.StartNew();
                using var response = await client.PostAsync($"/v2/contacts/{team}/import", content);
                var report = await response.Content.ReadAsStringAsync();
                clock.Stop();
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"{label} {step}: {(int)response.StatusCode} {report[..Math.Min(500, report.Length)]}");
                }
                var r = JsonDocument.Parse(report).RootElement;
                System.Console.WriteLine($"  {name,-10} {label,-4} {step,-13} {clock.Elapsed.TotalSeconds,6:F2} s  {Rows / clock.Elapsed.TotalSeconds,9:N0} rows/s  " +
                    $"({body.Length / (1024 * 1024)} MiB; created {r.GetProperty("created")}, updated {r.GetProperty("updated")}, unchanged {r.GetProperty("unchanged")}, failed {r.GetProperty("failed")})");
                if (step == "first import")
                {
                    results.Add((label, clock.Elapsed.TotalSeconds));
                }
            }
        }
        var raw = await RawLoadAsync(server, first);
        System.Console.WriteLine($"  {name,-10} raw  load          {raw,6:F2} s  {Rows / raw,9:N0} rows/s  ({(database is null ? "sqlite3 .import" : "psql \\copy")} into a table of the same columns)");
        foreach (var (label, seconds) in results)
        {
            System.Console.WriteLine($"  {name,-10} {label} first import reaches {raw / seconds:P0} of the raw load's speed (goal >= 33%)");
        }
        System.Console.WriteLine($"  {name,-10} server working set: {server.WorkingSetBytes() / (1024 * 1024)} MiB");
    }

    sealed record Person(string Id, string First, string Last, string Mobile, string Major);

    static Person[] Generate(int changedEvery) =>
        [.. Enumerable.Range(0, Rows).Select(i => new Person(
            $"P{i:D9}", changedEvery > 0 && i % changedEvery == 0 ? $"Renamed{i}" : $"First{i}", $"Last{i}",
            $"{2000000000L + i * 7L:D10}", i % 3 == 0 ? "History" : "Biology"))];

    static byte[] Json(Person[] people) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        notificationEmail = "it@college.edu",
        contacts = people.Select(p => new { uniqueCampusId = p.Id, firstName = p.First, lastName = p.Last, mobileNumber = p.Mobile, optedOut = 0, customFields = new { Major = p.Major } }),
    });

    static byte[] Csv(Person[] people)
    {
        var text = new StringBuilder("ContactId,FirstName,LastName,MobileNumber,OptedOut,Major\n");
        foreach (var p in people)
        {
            text.Append(p.Id).Append(',').Append(p.First).Append(',').Append(p.Last).Append(',').Append(p.Mobile).Append(",0,").Append(p.Major).Append('\n');
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The same rows, already in their stored form, loaded by the database's own bulk loader.</summary>
    static async Task<double> RawLoadAsync(ServerProcess server, Person[] people)
    {
        var file = Path.Combine(server.DataDirectory, "raw.csv");
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF");
        await File.WriteAllLinesAsync(file, people.Select(p =>
            $"{Guid.NewGuid()},{Guid.NewGuid()},{Guid.NewGuid()},{p.Id},{p.First},{p.Last},1-{p.Mobile[..3]}-{p.Mobile[3..6]}-{p.Mobile[6..]},0,,\"{{\"\"Major\"\":\"\"{p.Major}\"\"}}\",{now},{now}"));
        const string columns = "\"Id\" TEXT PRIMARY KEY, \"OrganizationId\" TEXT, \"TeamId\" TEXT, \"UniqueCampusId\" TEXT, \"FirstName\" TEXT, \"LastName\" TEXT, " +
            "\"MobileNumber\" TEXT, \"OptedOut\" INTEGER, \"StaffId\" TEXT, \"CustomFields\" TEXT, \"CreatedAt\" TEXT, \"UpdatedAt\" TEXT";
        var clock = Stopwatch.StartNew();
        if (server.Database is null)
        {
            var db = Path.Combine(server.DataDirectory, "cadence.db");
            await Run("sqlite3", [db, $"CREATE TABLE raw_contacts ({columns}); CREATE UNIQUE INDEX raw_id ON raw_contacts (\"UniqueCampusId\");", ".mode csv", $".import {file} raw_contacts"]);
        }
        else
        {
            var builder = new NpgsqlConnectionStringBuilder(server.Database);
            Environment.SetEnvironmentVariable("PGPASSWORD", builder.Password);
            await Run("psql", ["-h", builder.Host!, "-U", builder.Username!, "-d", builder.Database!, "-q",
                "-c", $"CREATE TABLE raw_contacts ({columns.Replace("INTEGER", "INT")}); CREATE UNIQUE INDEX raw_id ON raw_contacts (\"UniqueCampusId\");",
                "-c", $"\\copy raw_contacts FROM '{file}' WITH (FORMAT csv)"]);
        }
        return clock.Elapsed.TotalSeconds;
    }

    static async Task Run(string program, string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 || error.Length > 0)
        {
            throw new InvalidOperationException($"{program} failed: {error}");
        }
    }

    static async Task<string?> CreatePostgresDatabaseAsync(string admin)
    {
        try
        {
            var name = "cadence_bench_" + Guid.NewGuid().ToString("N")[..12];
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(admin) { Timeout = 3 }.ConnectionString);
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
            return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            return null;
        }
    }

    static async Task DropPostgresDatabaseAsync(string admin, string database)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {new NpgsqlConnectionStringBuilder(database).Database} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
