using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Cadence.Bench;

/// <summary>
/// A 10,000-recipient bulk send (time to 200), its delivery through the simulator (messages per second),
/// and CreateAndSend latency under load (p50, p99), on SQLite.
/// </summary>
static class MessagesBench
{
    const int Recipients = 10_000;

    public static async Task<int> RunAsync(string[] args)
    {
        await using var server = await ServerProcess.StartAsync(null, "--Cadence:DailyMessageCap=100000000");
        // Bulk sends keep the team's quiet hours (22:00-06:00 local): a team where it is now midday sends at once, whatever the hour here.
        var zone = DaytimeZone();
        await server.CliAsync("teams", "add", "SS", "--name", "Bench", "--time-zone", zone);
        var created = JsonDocument.Parse(await server.CliAsync("credentials", "create", "--name", "bench", "--rate-limit", "100000", "--json")).RootElement;
        using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{created.GetProperty("key").GetString()}:{created.GetProperty("secret").GetString()}")));
        var contacts = Enumerable.Range(0, Recipients).Select(i => new
        {
            uniqueCampusId = $"P{i:D6}", firstName = $"First{i}", lastName = "Student", mobileNumber = $"{2002000000L + i * 7:D10}",
        }).ToArray();
        (await client.PostAsJsonAsync("/v2/contacts/SS/import", new { contacts })).EnsureSuccessStatusCode();
        System.Console.WriteLine($"messages: Release server on loopback, SQLite, simulator provider, {Environment.ProcessorCount} cores; " +
            $"team time zone {zone} (local time {TimeZoneInfo.ConvertTimeBySystemTimeZoneId(DateTime.UtcNow, zone):HH:mm})");

        // Warm the send and delivery paths first.
        (await client.PostAsJsonAsync("/v2/messages/bulk", new { departmentCode = "SS", messageContent = "Warm-up {FirstName}", recipients = contacts.Take(500).Select(c => new { c.uniqueCampusId }) })).EnsureSuccessStatusCode();
        await DrainAsync(client);

        var clock = Stopwatch.StartNew();
        var bulk = await client.PostAsJsonAsync("/v2/messages/bulk", new
        {
            departmentCode = "SS", messageContent = "Hi {FirstName}, registration for spring opens Monday at 9.", recipients = contacts.Select(c => new { c.mobileNumber }),
        });
        var accepted = clock.Elapsed;
        bulk.EnsureSuccessStatusCode();
        var queued = JsonDocument.Parse(await bulk.Content.ReadAsStringAsync()).RootElement.GetProperty("queued").GetInt32();
        System.Console.WriteLine($"  bulk send of {Recipients:N0} recipients accepted in {accepted.TotalMilliseconds:N0} ms ({queued:N0} queued; goal < 1,000 ms)");
        var delivered = await DrainAsync(client);
        System.Console.WriteLine($"  delivered through the simulator in {(clock.Elapsed - accepted).TotalSeconds:F2} s after acceptance: " +
            $"{queued / (clock.Elapsed - accepted).TotalSeconds:N0} messages/s (goal >= 2,000/s; {delivered})");

        var latencies = new List<double>();
        var stop = Stopwatch.StartNew();
        var sent = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var local = new List<double>();
            while (stop.Elapsed < TimeSpan.FromSeconds(10) && Interlocked.Increment(ref sent) <= 5_000)
            {
                var one = Stopwatch.StartNew();
                var response = await client.PostAsJsonAsync("/v2/messages/CreateAndSend", new
                {
                    departmentCode = "SS", mobileNumber = contacts[(sent * 7 + worker) % Recipients].mobileNumber, messageContent = "Your advisor has a question.",
                });
                one.Stop();
                response.EnsureSuccessStatusCode();
                local.Add(one.Elapsed.TotalMilliseconds);
            }
            lock (latencies)
            {
                latencies.AddRange(local);
            }
        })));
        latencies.Sort();
        System.Console.WriteLine($"  CreateAndSend under load (8 clients, {latencies.Count:N0} sends in {stop.Elapsed.TotalSeconds:F1} s, worker delivering alongside): " +
            $"p50 {latencies[latencies.Count / 2]:F1} ms, p99 {latencies[(int)(latencies.Count * 0.99)]:F1} ms");
        System.Console.WriteLine($"  server working set: {server.WorkingSetBytes() / (1024 * 1024)} MiB");
        return 0;
    }

    /// <summary>
    /// A fixed-offset zone (no daylight saving) where it is about noon now, so that a run of any length up to
    /// several hours stays outside quiet hours. Etc/GMT signs are inverted: Etc/GMT-5 is five hours ahead of UTC.
    /// </summary>
    internal static string DaytimeZone()
    {
        var ahead = 12 - DateTime.UtcNow.Hour;
        return ahead == 0 ? "Etc/UTC" : $"Etc/GMT{(ahead > 0 ? "-" : "+")}{Math.Abs(ahead)}";
    }

    /// <summary>Waits (bounded) until nothing is queued or being sent, and says how the messages ended.</summary>
    static async Task<string> DrainAsync(HttpClient client)
    {
        for (var i = 0; i < 1200; i++)
        {
            var queued = await CountAsync(client, "queued");
            var sending = await CountAsync(client, "sending");
            if (queued + sending == 0)
            {
                return "none left queued";
            }
            await Task.Delay(50);
        }
        return "still delivering after a minute";
    }

    static async Task<int> CountAsync(HttpClient client, string status) =>
        JsonDocument.Parse(await client.GetStringAsync($"/v2/messages?departmentCode=SS&status={status}&limit=1")).RootElement.GetProperty("messages").GetArrayLength();
}
