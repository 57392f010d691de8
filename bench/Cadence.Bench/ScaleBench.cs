using System.Diagnostics;
using System.Text.Json;

namespace Cadence.Bench;

/// <summary>
/// Flat cost as a team grows: ten successive 100,000-row imports of new contacts into one team (to a million),
/// then at that size lookups by mobile number and by campus id, and paging the whole team with the cursor
/// listing. Each phase stops, saying so, once it has run longer than --phase-minutes (10).
/// </summary>
static class ScaleBench
{
    const int DefaultBatches = 10;
    static int Batches = DefaultBatches;
    const int Rows = 100_000;
    const string Team = "SCALE";

    // The listing's largest page (ContactListing.MaxLimit); a server that allows less answers 400 and the run says so.
    const int PageLimit = 1000;

    public static async Task<int> RunAsync(string[] args)
    {
        PeakMemory.AlwaysSample = Options.Flag(args, "--sample-rss");
        var phase = TimeSpan.FromMinutes(Options.Int(args, "--phase-minutes", 10));
        var lookups = Options.Int(args, "--lookups", 2000);
        // Fewer batches (a smaller team) only to study the later phases quickly; the goals are judged at ten.
        Batches = Options.Int(args, "--batches", DefaultBatches);
        System.Console.WriteLine($"scale: {Batches} imports of {Rows:N0} new contacts (JSON) into one team, then {lookups:N0} lookups of each kind " +
            $"and the cursor listing; Release server on loopback, {Environment.ProcessorCount} cores; each phase stops after {phase.TotalMinutes:F0} min");
        foreach (var target in await Target.ChooseAsync(args))
        {
            await using var server = await target.StartAsync();
            using var client = await server.ApiClientAsync();
            await server.CliAsync("teams", "add", Team, "--name", "Scale bench");
            await server.CliAsync("fields", "add", Team, "Major");
            var contacts = await ImportBatchesAsync(server, client, target, phase);
            // More rounds show how the lookups settle as the fresh server's code is recompiled; the goal is judged on the first.
            for (var round = 0; round < Options.Int(args, "--lookup-rounds", 1); round++)
            {
                await LookupsAsync(client, target, contacts, lookups, phase);
            }
            await ListingAsync(client, target, contacts, phase);
            System.Console.WriteLine($"  {target.Name,-10} server RSS at the end {Units.Megabytes(PeakMemory.ResidentBytes(server.Pid))}");
        }
        return 0;
    }

    /// <summary>Returns how many contacts the team has at the end.</summary>
    static async Task<long> ImportBatchesAsync(ServerProcess server, HttpClient client, Target target, TimeSpan phase)
    {
        var seconds = new List<double>();
        var clock = Stopwatch.StartNew();
        for (var batch = 0; batch < Batches; batch++)
        {
            if (clock.Elapsed > phase)
            {
                System.Console.WriteLine($"  {target.Name,-10} imports stopped after {batch} batches ({clock.Elapsed.TotalMinutes:F1} min)");
                break;
            }
            var m = await MeasuredImport.PostAsync(server, client, Team, People.Json(People.Generate(Rows, (long)batch * Rows)), "application/json");
            if (!m.Succeeded || m.Count("created") != Rows)
            {
                throw new InvalidOperationException($"batch {batch + 1}: {m.Status} {m.Counts}");
            }
            seconds.Add(m.Seconds);
            System.Console.WriteLine($"  {target.Name,-10} batch {batch + 1,2} {m.Seconds,6:F2} s {Rows / m.Seconds,9:N0} rows/s  peak +{Units.Megabytes(m.GrowthBytes),7}  " +
                $"RSS {Units.Megabytes(PeakMemory.ResidentBytes(server.Pid)),8}  ({(batch + 1L) * Rows:N0} contacts)");
        }
        if (seconds.Count == Batches)
        {
            // The first batch also pays for the server's cold start; batches 2-4 are the early ones it is judged by.
            var early = Stats.Median(seconds.Skip(1).Take(3));
            var late = Stats.Median(seconds.TakeLast(3));
            System.Console.WriteLine($"  {target.Name,-10} last three batches (median {late:F2} s) vs batches 2-4 (median {early:F2} s): {late / early:F2}x " +
                $"[goal <= 1.3x {Units.Verdict(late / early <= 1.3)}]");
        }
        return (long)seconds.Count * Rows;
    }

    static async Task LookupsAsync(HttpClient client, Target target, long contacts, int count, TimeSpan phase)
    {
        if (contacts == 0)
        {
            return;
        }
        var random = new Random(11);
        foreach (var (kind, path) in new (string, Func<long, string>)[]
        {
            ("by number", i => $"/v2/contacts/{Team}/{People.Mobile(i)}"),
            ("by campus id", i => $"/v2/contacts/{Team}/by-id/{People.Id(i)}"),
        })
        {
            // The first requests of a kind compile its path: 100 unmeasured ones first.
            for (var i = 0; i < 100; i++)
            {
                (await client.GetAsync(path(random.NextInt64(contacts)))).EnsureSuccessStatusCode();
            }
            var latencies = new List<double>();
            var clock = Stopwatch.StartNew();
            while (latencies.Count < count && clock.Elapsed < phase)
            {
                var one = Stopwatch.StartNew();
                using var response = await client.GetAsync(path(random.NextInt64(contacts)));
                await response.Content.ReadAsByteArrayAsync();
                one.Stop();
                response.EnsureSuccessStatusCode();
                latencies.Add(one.Elapsed.TotalMilliseconds);
            }
            var p99 = Stats.Quantile(latencies, 0.99);
            System.Console.WriteLine($"  {target.Name,-10} lookup {kind,-12} at {contacts:N0} contacts: {latencies.Count:N0} random ones from one client, " +
                $"p50 {Stats.Median(latencies):F2} ms, p99 {p99:F2} ms, max {latencies.Max():F2} ms [p99 < 5 ms {Units.Verdict(p99 < 5)}]");
        }
    }

    static async Task ListingAsync(HttpClient client, Target target, long contacts, TimeSpan phase)
    {
        long listed = 0;
        var pages = 0;
        string? cursor = null;
        var pageSeconds = new List<double>();
        var clock = Stopwatch.StartNew();
        do
        {
            if (clock.Elapsed > phase)
            {
                System.Console.WriteLine($"  {target.Name,-10} listing stopped after {pages:N0} pages ({clock.Elapsed.TotalMinutes:F1} min)");
                break;
            }
            var one = Stopwatch.StartNew();
            var url = $"/v2/contacts/{Team}?limit={PageLimit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            using var response = await client.GetAsync(url);
            var body = await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"listing: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
            }
            using var page = JsonDocument.Parse(body);
            listed += page.RootElement.GetProperty("contacts").GetArrayLength();
            cursor = page.RootElement.GetProperty("nextCursor").GetString();
            pages++;
            pageSeconds.Add(one.Elapsed.TotalSeconds);
        }
        while (cursor is not null);
        var rate = listed / clock.Elapsed.TotalSeconds;
        System.Console.WriteLine($"  {target.Name,-10} listing {listed:N0} of {contacts:N0} contacts in {pages:N0} pages of {PageLimit:N0}: {clock.Elapsed.TotalSeconds:F1} s, " +
            $"{rate:N0} contacts/s [goal >= 100,000/s {Units.Verdict(rate >= 100_000)}]");
        // A page that costs more the further it is into the team shows as a slower last tenth.
        var tenth = Math.Max(1, pageSeconds.Count / 10);
        System.Console.WriteLine($"  {target.Name,-10} listing's first {tenth:N0} pages at {tenth * PageLimit / pageSeconds.Take(tenth).Sum():N0} contacts/s, " +
            $"last {tenth:N0} at {tenth * PageLimit / pageSeconds.TakeLast(tenth).Sum():N0} contacts/s");
    }
}
