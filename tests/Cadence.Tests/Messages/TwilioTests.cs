using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Cadence.Messages;
using Cadence.Tests.Contacts;
using Cadence.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Cadence.Tests.Messages;

/// <summary>Cadence against a fake Twilio: a real HTTP server on loopback that speaks Twilio's wire format.</summary>
public sealed class TwilioTests : IAsyncLifetime
{
    const string AccountSid = "AC00000000000000000000000000000001";
    const string AuthToken = "test-auth-token-0123456789abcdef";
    const string PublicUrl = "https://sms.college.example";
    readonly ConcurrentQueue<(string Path, string? Authorization, Dictionary<string, string> Form)> received = new();
    WebApplication twilio = null!;
    TestDatabase database = null!;
    CadenceApp app = null!;
    HttpClient client = null!;
    int refuseNext;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        twilio = builder.Build();
        twilio.MapPost("/2010-04-01/Accounts/{sid}/Messages.json", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            received.Enqueue((http.Request.Path, http.Request.Headers.Authorization.ToString(), form.ToDictionary(f => f.Key, f => f.Value.ToString())));
            if (Interlocked.Exchange(ref refuseNext, 0) == 1)
            {
                return Results.Json(new { code = 21211, message = "The 'To' number is not a valid phone number.", status = 400 }, statusCode: 400);
            }
            return Results.Json(new { sid = "SM" + Guid.NewGuid().ToString("N"), status = "queued" }, statusCode: 201);
        });
        await twilio.StartAsync(TestContext.Current.CancellationToken);

        database = await TestDatabase.CreateAsync(Store.Sqlite);
        app = await CadenceApp.StartAsync(database, new()
        {
            ["Cadence:SmsProvider"] = "twilio",
            ["Cadence:Twilio:AccountSid"] = AccountSid,
            ["Cadence:Twilio:AuthToken"] = AuthToken,
            ["Cadence:Twilio:From"] = "(716) 555-0000",
            ["Cadence:Twilio:PublicUrl"] = PublicUrl,
            ["Cadence:Twilio:BaseUrl"] = twilio.Urls.First(),
        });
        await app.AddTeamAsync("SS", "Student Success");
        client = app.Http(await app.CreateCredentialAsync());
        await client.PostAsJsonAsync("/v2/contacts/SS/import", new { contacts = new[] { ContactsApp.Row("P1") } }, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
        await database.DisposeAsync();
        await twilio.DisposeAsync();
    }

    async Task<long> SendAsync(string text = "Hello from advising")
    {
        var response = await client.PostAsJsonAsync("/v2/messages/CreateAndSend",
            new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = text }, TestContext.Current.CancellationToken);
        return (await ContactsApp.Expect(response, HttpStatusCode.OK)).GetProperty("id").GetInt64();
    }

    async Task<string> StatusAsync(long id) =>
        (await ContactsApp.Expect(await client.GetAsync($"/v2/messages/{id}", TestContext.Current.CancellationToken), HttpStatusCode.OK)).Str("status")!;

    async Task<HttpResponseMessage> WebhookAsync(string path, Dictionary<string, string> form, string? signature = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", signature ?? TwilioWebhooks.Signature(AuthToken, PublicUrl + path, form));
        return await app.Http().SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task TextsGoOutInTwiliosWireFormat()
    {
        var id = await SendAsync();

        Assert.True(await Eventually.TrueAsync(async () => await StatusAsync(id) == "sent", TimeSpan.FromSeconds(10)));
        var (path, authorization, form) = Assert.Single(received);
        Assert.Equal($"/2010-04-01/Accounts/{AccountSid}/Messages.json", path);
        Assert.Equal("Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}")), authorization);
        Assert.Equal("+17165550101", form["To"]);
        Assert.Equal("+17165550000", form["From"]);
        Assert.Equal("Hello from advising", form["Body"]);
        Assert.Equal(PublicUrl + "/webhooks/twilio/status", form["StatusCallback"]);
    }

    [Fact]
    public async Task ASignedStatusCallbackRecordsDeliveryAndAForgedOneIsRefused()
    {
        var id = await SendAsync();
        Assert.True(await Eventually.TrueAsync(async () => await StatusAsync(id) == "sent", TimeSpan.FromSeconds(10)));
        var sid = Assert.Single(received).Form.Count > 0 ? await SidAsync(id) : "";
        var delivered = new Dictionary<string, string> { ["MessageSid"] = sid, ["MessageStatus"] = "delivered", ["AccountSid"] = AccountSid };

        var forged = await WebhookAsync("/webhooks/twilio/status", delivered, signature: "bm90IGEgc2lnbmF0dXJl");
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal("sent", await StatusAsync(id));

        var genuine = await WebhookAsync("/webhooks/twilio/status", delivered);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
        Assert.Equal("delivered", await StatusAsync(id));
        // A late "sent" does not undo "delivered".
        await WebhookAsync("/webhooks/twilio/status", new() { ["MessageSid"] = sid, ["MessageStatus"] = "sent" });
        Assert.Equal("delivered", await StatusAsync(id));
    }

    async Task<string> SidAsync(long id) => await app.WithServicesAsync(async (services, _) =>
        (await services.GetRequiredService<Cadence.Data.CadenceDb>().Messages.FindAsync(id))!.ProviderMessageId!);

    [Fact]
    public async Task ARefusalByTwilioEndsFailedWithItsReason()
    {
        Interlocked.Exchange(ref refuseNext, 1);

        var id = await SendAsync();

        Assert.True(await Eventually.TrueAsync(async () => await StatusAsync(id) == "failed", TimeSpan.FromSeconds(10)));
        var message = await ContactsApp.Expect(await client.GetAsync($"/v2/messages/{id}", TestContext.Current.CancellationToken), HttpStatusCode.OK);
        Assert.Contains("21211", message.Str("statusReason"));
    }

    [Fact]
    public async Task ASignedInboundStopOptsTheContactOut()
    {
        var forged = await WebhookAsync("/webhooks/twilio/inbound", new() { ["From"] = "+17165550101", ["Body"] = "STOP" }, signature: "AAAA");
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);

        var response = await WebhookAsync("/webhooks/twilio/inbound", new() { ["From"] = "+17165550101", ["To"] = "+17165550000", ["Body"] = "Stop", ["MessageSid"] = "SM1" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        var contact = await ContactsApp.Expect(await client.GetAsync("/v2/contacts/SS/by-id/P1", TestContext.Current.CancellationToken), HttpStatusCode.OK);
        Assert.True(contact.GetProperty("optedOut").GetBoolean());
    }
}
