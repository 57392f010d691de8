using System.Net;
using System.Net.Http.Json;
using Cadence.Messages;
using Cadence.Tests.Contacts;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Messages;

/// <summary>Cadence against a fake Twilio: a real HTTP server on loopback that speaks Twilio's wire format.</summary>
public sealed class TwilioTests : IAsyncLifetime
{
    const string AccountSid = "AC00000000000000000000000000000001";
    const string AuthToken = "test-auth-token-0123456789abcdef";
    const string PublicUrl = "https://sms.college.example";
    FakeTwilio twilio = null!;
    CadenceApp app = null!;
    HttpClient client = null!;

    public async ValueTask InitializeAsync()
    {
        twilio = await FakeTwilio.StartAsync();
        app = await CadenceApp.StartAsync(Store.Sqlite, twilio.Settings(AccountSid, AuthToken));
        await app.AddTeamAsync("SS", "Student Success");
        client = app.Http(await app.CreateCredentialAsync());
        await client.PostAsJsonAsync("/v2/contacts/SS/import", new { contacts = new[] { ContactsApp.Row("P1") } }, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
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
        var (account, authorization, form) = Assert.Single(twilio.Requests);
        Assert.Equal(AccountSid, account);
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
        Assert.Single(twilio.Requests);
        var sid = await SidAsync(id);
        var delivered = new Dictionary<string, string> { ["MessageSid"] = sid, ["MessageStatus"] = "delivered", ["AccountSid"] = AccountSid };

        var forged = await WebhookAsync("/webhooks/twilio/status", delivered, signature: "bm90IGEgc2lnbmF0dXJl");
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal("sent", await StatusAsync(id));

        var genuine = await WebhookAsync("/webhooks/twilio/status", delivered);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
        Assert.Equal("delivered", await StatusAsync(id));
        // Callbacks arrive out of order: a late "sent", "queued" or "undelivered" does not undo "delivered",
        // and nothing a callback says can put a text back in the queue to be sent again.
        foreach (var late in new[] { "sent", "queued", "accepted", "undelivered" })
        {
            await WebhookAsync("/webhooks/twilio/status", new() { ["MessageSid"] = sid, ["MessageStatus"] = late });
            Assert.Equal("delivered", await StatusAsync(id));
        }
    }

    async Task<string> SidAsync(long id) => await app.WithServicesAsync(async (services, _) =>
        (await services.GetRequiredService<Cadence.Data.CadenceDb>().Messages.FindAsync(id))!.ProviderMessageId!);

    [Fact]
    public async Task ARefusalByTwilioEndsFailedWithItsReason()
    {
        twilio.RefuseNext();

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

    [Fact]
    public async Task TwilioGetsAnEmpty200AnEmptyTwimlResponseOrABadSignatureProblem()
    {
        // The exact answers on the wire: Twilio reads the status callback's status and the inbound text's TwiML.
        var status = await WebhookAsync("/webhooks/twilio/status", new() { ["MessageSid"] = "SMnot-ours", ["MessageStatus"] = "delivered" });
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Null(status.Content.Headers.ContentType);
        Assert.Equal("", await status.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        var inbound = await WebhookAsync("/webhooks/twilio/inbound", new() { ["From"] = "+17165550199", ["Body"] = "Hello", ["MessageSid"] = "SM2" });
        Assert.Equal(HttpStatusCode.OK, inbound.StatusCode);
        Assert.Equal("text/xml", inbound.Content.Headers.ContentType?.ToString());
        Assert.Equal("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>", await inbound.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        foreach (var path in new[] { "/webhooks/twilio/status", "/webhooks/twilio/inbound" })
        {
            var forged = await WebhookAsync(path, new() { ["MessageSid"] = "SM3" }, signature: "AAAA");
            var problem = await ProblemAssert.IsProblemAsync(forged, HttpStatusCode.Forbidden, "bad_signature");
            Assert.Equal("The X-Twilio-Signature does not verify.", problem.GetProperty("detail").GetString());
        }
    }
}
