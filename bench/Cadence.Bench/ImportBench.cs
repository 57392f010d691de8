namespace Cadence.Bench;

/// <summary>
/// 100,000 generated contacts imported into an empty team, then again unchanged, then with 10% changed; as JSON
/// and as CSV; on SQLite and on PostgreSQL. By default each format is measured on a server started just for it,
/// whose first request is the import (a nightly sync after a restart); --warm measures a server that has already
/// done a full-size import of each format. Beside each time, the server's peak memory growth during the request,
/// and the same rows loaded raw into the same database: the limit to compare with. Last, one CSV body close to the
/// 128 MiB limit, to show whether memory follows the body or stays bounded.
/// </summary>
static class ImportBench
{
    const int Rows = 100_000;

    // Under the 128 MiB request limit with room to spare; a row of the large body is about 1.3 KB.
    const long LargeBodyBytes = 127L * 1024 * 1024;

    const double FirstImportGoalSeconds = 1.5;
    const double UnchangedGoalSeconds = 0.5;
    const long PeakGrowthGoalBytes = 100_000_000;

    sealed record Format(string Label, string MediaType, Func<Person[], byte[]> Body);

    static readonly Format[] Formats = [new("JSON", "application/json", People.Json), new("CSV", "text/csv", People.Csv)];

    public static async Task<int> RunAsync(string[] args)
    {
        PeakMemory.AlwaysSample = Options.Flag(args, "--sample-rss");
        var warm = Options.Flag(args, "--warm");
        System.Console.WriteLine($"import: {Rows:N0} contacts per request (one custom field), Release server on loopback, {Environment.ProcessorCount} cores, " +
            (warm ? "a warm server (a full-size import of each format into another team first)" : "a server started afresh for each format, its first request the import (--warm: a warm one)"));
        var first = People.Generate(Rows);
        var changed = People.Generate(Rows, changedEvery: 10);
        foreach (var target in await Target.ChooseAsync(args))
        {
            if (warm)
            {
                await using var server = await target.StartAsync();
                using var client = await server.ApiClientAsync();
                await WarmUpAsync(server, client, first, changed);
                foreach (var format in Formats)
                {
                    await MeasureFormatAsync(server, client, target, format, first, changed);
                }
                await LargeBodyAsync(server, client, target, first);
            }
            else
            {
                foreach (var format in Formats)
                {
                    await using var server = await target.StartAsync();
                    using var client = await server.ApiClientAsync();
                    await MeasureFormatAsync(server, client, target, format, first, changed);
                }
                await using var fresh = await target.StartAsync();
                using var freshClient = await fresh.ApiClientAsync();
                await LargeBodyAsync(fresh, freshClient, target, first);
            }
        }
        System.Console.WriteLine($"peak growth: the server's {PeakMemory.Method} during the request, minus its VmRSS before it");
        return 0;
    }

    static async Task MeasureFormatAsync(ServerProcess server, HttpClient client, Target target, Format format, Person[] first, Person[] changed)
    {
        await AddTeamAsync(server, format.Label, "Major");
        var rssBefore = PeakMemory.ResidentBytes(server.Pid);
        double firstSeconds = 0;
        foreach (var (step, people) in new[] { ("first import", first), ("unchanged", first), ("10% changed", changed) })
        {
            var m = await MeasuredImport.PostAsync(server, client, format.Label, format.Body(people), format.MediaType);
            if (!m.Succeeded)
            {
                throw new InvalidOperationException($"{format.Label} {step}: {m.Status} {m.Counts}");
            }
            var goals = new List<string>();
            if (step == "first import")
            {
                firstSeconds = m.Seconds;
                if (!target.IsPostgres)
                {
                    goals.Add($"time <= {FirstImportGoalSeconds} s {Units.Verdict(m.Seconds <= FirstImportGoalSeconds)}");
                }
            }
            if (step == "unchanged")
            {
                goals.Add($"time <= {UnchangedGoalSeconds} s {Units.Verdict(m.Seconds <= UnchangedGoalSeconds)}");
            }
            goals.Add($"peak <= 100 MB {Units.Verdict(m.GrowthBytes <= PeakGrowthGoalBytes)}");
            System.Console.WriteLine($"  {target.Name,-10} {format.Label,-4} {step,-13} {m.Seconds,6:F2} s {Rows / m.Seconds,9:N0} rows/s  " +
                $"peak +{Units.Megabytes(m.GrowthBytes),7}  body {Units.MegabytesPrecise(m.BodyBytes)}  [{string.Join(", ", goals)}]  ({m.Counts})");
        }
        var raw = (await RawLoad.RunAsync(server, first)).TotalSeconds;
        var ratio = raw / firstSeconds;
        var goal = target.IsPostgres ? 0.5 : 1.0 / 3;
        System.Console.WriteLine($"  {target.Name,-10} {format.Label,-4} {"raw load",-13} {raw,6:F2} s {Rows / raw,9:N0} rows/s  ({RawLoad.Tool(server)}, same columns and indexes) " +
            $"-> the first import at {ratio * 100:F0}% of raw speed [goal >= {goal * 100:F0}% {Units.Verdict(ratio >= goal)}]");
        System.Console.WriteLine($"  {target.Name,-10} {format.Label,-4} server RSS {Units.Megabytes(rssBefore)} before the first import, {Units.Megabytes(PeakMemory.ResidentBytes(server.Pid))} now");
    }

    /// <summary>One CSV near the 128 MiB limit, into a new team: memory that follows the body shows here.</summary>
    static async Task LargeBodyAsync(ServerProcess server, HttpClient client, Target target, Person[] people)
    {
        await AddTeamAsync(server, "BIG", "Major", "Note1", "Note2");
        var (body, noteLength) = People.LargeCsv(people, LargeBodyBytes);
        var m = await MeasuredImport.PostAsync(server, client, "BIG", body, "text/csv");
        System.Console.WriteLine($"  {target.Name,-10} CSV  large body    {m.Seconds,6:F2} s  status {m.Status}  peak +{Units.Megabytes(m.GrowthBytes)}  " +
            $"body {m.BodyBytes / (1024.0 * 1024):F1} MiB ({people.Length:N0} rows, Note1 and Note2 of {noteLength} characters; peak {(double)m.GrowthBytes / m.BodyBytes:F1}x the body) " +
            $"[peak <= 100 MB {Units.Verdict(m.GrowthBytes <= PeakGrowthGoalBytes)}]  ({m.Counts})");
    }

    /// <summary>A running server has compiled its code paths and grown its heap long before a big import arrives.</summary>
    static async Task WarmUpAsync(ServerProcess server, HttpClient client, Person[] first, Person[] changed)
    {
        await AddTeamAsync(server, "WARM", "Major");
        foreach (var format in Formats)
        {
            foreach (var people in new[] { first, changed })
            {
                var m = await MeasuredImport.PostAsync(server, client, "WARM", format.Body(people), format.MediaType);
                if (!m.Succeeded)
                {
                    throw new InvalidOperationException($"warm-up {format.Label}: {m.Status} {m.Counts}");
                }
            }
        }
    }

    static async Task AddTeamAsync(ServerProcess server, string code, params string[] fields)
    {
        await server.CliAsync("teams", "add", code, "--name", code + " bench");
        foreach (var field in fields)
        {
            await server.CliAsync("fields", "add", code, field);
        }
    }
}
