using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cadence.Messages;
using Cadence.Tests.Contacts;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Messages;

/// <summary>A contacts app with three contacts in SS: P1 Ada (Major Math), P2 Bob (no Major), P3 Cy (opted out).</summary>
public sealed class MessagesApp : IAsyncDisposable
{
    public required ContactsApp Contacts { get; init; }
    public HttpClient Client => Contacts.Client;
    public CadenceApp App => Contacts.App;

    public static async Task<MessagesApp> StartAsync(Store store, Dictionary<string, string?>? settings = null)
    {
        var contacts = await ContactsApp.StartAsync(store, settings);
        await contacts.ImportAsync(new
        {
            contacts = new object[]
            {
                ContactsApp.Row("P1", "Ada", "Lovelace", "716-555-0101", customFields: new { Major = "Math" }),
                ContactsApp.Row("P2", "Bob", "Byron", "716-555-0102"),
                ContactsApp.Row("P3", "Cy", "Young", "716-555-0103", optedOut: true),
            },
        });
        return new MessagesApp { Contacts = contacts };
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(string path, object body, string? idempotencyKey = null, HttpClient? client = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add(Idempotency.Header, idempotencyKey);
        }
        var response = await (client ?? Client).SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>What the simulated phone received, once the worker has delivered everything queued.</summary>
    public async Task<JsonElement> PhoneAsync(string mobileNumber)
    {
        JsonElement texts = default;
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            texts = await Contacts.GetAsync("/simulator/api/messages?mobileNumber=" + Uri.EscapeDataString(mobileNumber));
            return texts.EnumerateArray().All(t => t.GetProperty("status").GetString() is not ("queued" or "sending"));
        }, TimeSpan.FromSeconds(10)));
        return texts;
    }

    /// <summary>Settings for a test that drives the outbox itself (<see cref="CadenceApp.DrainOutboxAsync"/>).</summary>
    public static Dictionary<string, string?> WorkerAsleep => new() { ["Cadence:OutboxPollInterval"] = "01:00:00" };

    public ValueTask DisposeAsync() => Contacts.DisposeAsync();
}
