using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cadence.Data;
using Cadence.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cadence.Bench;

/// <summary>
/// Webhook delivery: events delivered per second to a local receiver (goal >= 1,000/s), and a 10,000-recipient bulk send
/// accepted with a webhook subscribed to message.status_changed (goal < 1 s), on SQLite.
/// </summary>
static class WebhooksBench
{
    const int Events = 10_000;
    const int Recipients = 10_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var received = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var receiver = builder.Build();
        receiver.MapPost("/hooks", async (HttpContext context) =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            Interlocked.Increment(ref received);
            return Results.NoContent();
        });
        await receiver.StartAsync();
        var hooks = receiver.Urls.First().Replace("127.0.0.1", "localhost", StringComparison.Ordinal) + "/hooks"; // a name: the CLI checks literal addresses only

        await using var server = await ServerProcess.StartAsync(null, "--Cadence:DailyMessageCap=100000000", "--Cadence:Webhooks:AllowPrivateNetworks=true",
            "--Cadence:Webhooks:PollInterval=00:00:00.050");
        await server.CliAsync("teams", "add", "SS", "--name", "Bench", "--time-zone", MessagesBench.DaytimeZone());
        await server.CliAsync("webhooks", "add", hooks, "--event", EventTypes.ContactOptedOut, "--event", EventTypes.MessageStatusChanged);
        System.Console.WriteLine($"webhooks: Release server on loopback, SQLite, {Environment.ProcessorCount} cores; receiver in the bench process on {hooks}");

        // Events written straight into the server's database, as producers will write them (in their own transactions).
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Cadence:DataDirectory"] = server.DataDirectory }).Build();
        await using var services = new ServiceCollection().AddLogging().AddCadenceCore(configuration).BuildServiceProvider();
        async Task AppendAsync(int count)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CadenceDb>();
            var organization = await db.Organizations.Select(o => o.Id).SingleAsync();
            for (var i = 0; i < count; i++)
            {
                db.Events.Add(Cadence.Events.EventLog.Build(organization, null, null, EventTypes.ContactOptedOut, DateTime.UtcNow,
                    new EventContact($"P{i:D6}", "First", "Student", "+12025550101"), new { source = "keyword" }));
            }
            await db.SaveChangesAsync();
        }

        await AppendAsync(500); // warm-up
        await WaitAsync(() => received >= 500, TimeSpan.FromMinutes(1));
        received = 0;
        var clock = Stopwatch.StartNew();
        await AppendAsync(Events);
        var written = clock.Elapsed;
        var receivedWhileWriting = received;
        var done = await WaitAsync(() => received >= Events, TimeSpan.FromMinutes(5));
        System.Console.WriteLine($"  {Events:N0} events written in {written.TotalMilliseconds:N0} ms; {received:N0} delivered in {clock.Elapsed.TotalSeconds:F2} s: " +
            $"{received / clock.Elapsed.TotalSeconds:N0} events/s from the first write, " +
            $"{(received - receivedWhileWriting) / (clock.Elapsed - written).TotalSeconds:N0} events/s once the writing was over " +
            $"(goal >= 1,000/s {(received / clock.Elapsed.TotalSeconds >= 1000 ? "PASS" : "MISS")} from the first write)" +
            (done ? "" : "; not all delivered within 5 minutes"));

        using var client = await server.ApiClientAsync();
        var contacts = Enumerable.Range(0, Recipients).Select(i => new
        {
            uniqueCampusId = $"P{i:D6}", firstName = $"First{i}", lastName = "Student", mobileNumber = $"{2002000000L + i * 7:D10}",
        }).ToArray();
        (await client.PostAsJsonAsync("/v2/contacts/SS/import", new { contacts })).EnsureSuccessStatusCode();
        received = 0;
        clock.Restart();
        var bulk = await client.PostAsJsonAsync("/v2/messages/bulk", new
        {
            departmentCode = "SS", messageContent = "Hi {FirstName}, registration for spring opens Monday at 9.", recipients = contacts.Select(c => new { c.mobileNumber }),
        });
        var accepted = clock.Elapsed;
        bulk.EnsureSuccessStatusCode();
        var queued = JsonDocument.Parse(await bulk.Content.ReadAsStringAsync()).RootElement.GetProperty("queued").GetInt32();
        await Task.Delay(TimeSpan.FromSeconds(10));
        System.Console.WriteLine($"  bulk send of {Recipients:N0} recipients with a message.status_changed webhook accepted in {accepted.TotalMilliseconds:N0} ms " +
            $"({queued:N0} queued; goal < 1,000 ms {(accepted.TotalMilliseconds < 1000 ? "PASS" : "MISS")}); " +
            $"{received:N0} message.status_changed events delivered in the next 10 s while the outbox sent them");
        System.Console.WriteLine($"  server working set: {server.WorkingSetBytes() / (1024 * 1024)} MiB");
        return 0;
    }

    static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > within)
            {
                return false;
            }
            await Task.Delay(10);
        }
        return true;
    }
}
