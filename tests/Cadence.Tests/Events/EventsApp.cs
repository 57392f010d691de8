using System.Text.Json;
using Cadence.Data;
using Cadence.Events;
using Cadence.Tests.Contacts;
using Cadence.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Tests.Events;

/// <summary>Reading what the producers wrote: the Events rows as stored, and the feed through HTTP.</summary>
public static class EventsApp
{
    /// <summary>Every stored event, oldest first, as the JSON the feed hands out.</summary>
    public static Task<List<JsonElement>> StoredAsync(this CadenceApp app, string? type = null) => app.WithServicesAsync(async (services, _) =>
    {
        var db = services.GetRequiredService<CadenceDb>();
        var rows = await db.Events.AsNoTracking().Where(e => type == null || e.Type == type).OrderBy(e => e.Id).ToListAsync();
        return rows.Select(r => JsonDocument.Parse(r.Payload).RootElement.Clone()).ToList();
    });

    public static async Task<JsonElement> FeedAsync(this HttpClient client, string query = "", System.Net.HttpStatusCode expected = System.Net.HttpStatusCode.OK)
    {
        var response = await client.GetAsync("/v2/events" + (query.Length > 0 ? "?" + query : ""), TestContext.Current.CancellationToken);
        return await ContactsApp.Expect(response, expected);
    }

    /// <summary>Every event the client may see, page by page (bounded), following nextCursor.</summary>
    public static async Task<List<JsonElement>> WholeFeedAsync(this HttpClient client, string query = "", int limit = 2)
    {
        var all = new List<JsonElement>();
        var after = "";
        for (var page = 0; page < 500; page++)
        {
            var body = await client.FeedAsync($"limit={limit}{query}{(after.Length > 0 ? "&after=" + after : "")}");
            var events = body.GetProperty("events").EnumerateArray().ToList();
            all.AddRange(events);
            after = body.Str("nextCursor")!;
            if (events.Count < limit)
            {
                return all;
            }
        }
        throw new InvalidOperationException("The feed did not end within 500 pages.");
    }

    /// <summary>
    /// Waits until the feed shows this many events. On PostgreSQL a committed event is held back while any older
    /// transaction of the server (the other tests' databases included) is still running.
    /// </summary>
    public static async Task VisibleAsync(this HttpClient client, int count) =>
        Assert.True(await Eventually.TrueAsync(async () => (await client.FeedAsync("limit=1000")).GetProperty("events").GetArrayLength() >= count,
            TimeSpan.FromSeconds(20)), $"The feed did not show {count} events.");

    public static void ProblemCode(JsonElement problem, string code)
    {
        Assert.Equal(code, problem.Str("code"));
        Assert.False(string.IsNullOrWhiteSpace(problem.Str("detail")));
    }

    public static string Type(this JsonElement e) => e.Str("type")!;

    public static JsonElement Data(this JsonElement e) => e.GetProperty("data");
}
