using System.Text.Json;
using Cadence.Events;
using Cadence.Tests.Infrastructure;
using Cadence.Webhooks;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace Cadence.Tests.Webhooks;

public sealed class DeliveryTests
{
    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task DeliveryIsSignedAsStandardWebhooksSpecifies(Store store)
    {
        await using var database = await TestDatabase.CreateAsync(store);
        await using var app = await WebhooksApp.StartAsync(database);
        app.Time.SetUtcNow(DateTimeOffset.UtcNow); // the library checks the timestamp against the real clock
        await using var receiver = await Receiver.StartAsync();
        var webhook = await app.AddWebhookAsync(receiver.Url());
        var e = await app.AppendEventAsync();

        Assert.True(await receiver.ReceivesAsync(1), "nothing was delivered");
        var request = Assert.Single(receiver.Requests);
        Assert.StartsWith("whsec_", webhook.Secret);
        Assert.Equal(e.PublicId, request.Headers["webhook-id"].ToString());
        Assert.Equal(e.Payload, request.Body);
        Assert.Equal("application/json; charset=utf-8", request.Headers.ContentType.ToString());
        Assert.True(SpecSignature.Verifies(webhook.Secret, request.Headers, request.Body), "the hand-written check refused the signature");
        new StandardWebhook(webhook.Secret).Verify(request.Body, request.Headers); // throws when it does not verify
        Assert.False(request.Headers.ContainsKey("Authorization"));
        Assert.False(request.Headers.ContainsKey("Cookie"));
        Assert.True(await Eventually.TrueAsync(async () => (await app.DeliveryAsync()).Status == DeliveryStatus.Succeeded));
        var delivery = (await app.DeliveryAsync());
        Assert.Equal(1, delivery.Attempts);
        Assert.Equal(200, delivery.ResponseCode);
    }

    [Fact]
    public async Task ASignatureWithAnotherSecretOrBodyDoesNotVerify()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        await using var app = await WebhooksApp.StartAsync(database);
        app.Time.SetUtcNow(DateTimeOffset.UtcNow);
        await using var receiver = await Receiver.StartAsync();
        await app.AddWebhookAsync(receiver.Url());
        await app.AppendEventAsync();
        Assert.True(await receiver.ReceivesAsync(1));
        var request = receiver.Requests.Single();
        var other = WebhookSecrets.New();
        Assert.False(SpecSignature.Verifies(other, request.Headers, request.Body));
        Assert.False(SpecSignature.Verifies(other, request.Headers, request.Body + " "));
        Assert.ThrowsAny<Exception>(() => new StandardWebhook(other).Verify(request.Body, request.Headers));
    }

    [Fact]
    public async Task OnlyEventsOfTheEndpointsTypesAndTeamsAreDelivered()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        await using var app = await WebhooksApp.StartAsync(database);
        var ss = await app.AddTeamAsync("SS");
        var adm = await app.AddTeamAsync("ADM");
        await using var receiver = await Receiver.StartAsync();
        await app.AddWebhookAsync(receiver.Url(), [EventTypes.ContactOptedOut, EventTypes.MessageReceived], ["ss"]);
        await using var everyTeam = await Receiver.StartAsync();
        await app.AddWebhookAsync(everyTeam.Url(), [EventTypes.ContactOptedOut]);

        await app.AppendEventAsync(EventTypes.ContactOptedOut, adm.Id, "ADM");    // another team
        await app.AppendEventAsync(EventTypes.ImportCompleted, ss.Id, "SS");      // another type
        await app.AppendEventAsync(EventTypes.ContactOptedOut, null);              // no team: only "every team" hears it
        var wanted = await app.AppendEventAsync(EventTypes.MessageReceived, ss.Id, "SS");
        var last = await app.AppendEventAsync(EventTypes.ContactOptedOut, ss.Id, "SS");

        Assert.True(await receiver.ReceivesAsync(2));
        Assert.True(await everyTeam.ReceivesAsync(3));
        await app.RunWorkerAsync();
        Assert.Equal(new[] { wanted.PublicId, last.PublicId }.Order(), receiver.Requests.Select(r => r.Headers["webhook-id"].ToString()).Order());
        Assert.Equal(3, everyTeam.Requests.Count);
    }

    [Fact]
    public async Task ARefusedFirstTryIsRetriedWithinTenSecondsWithTheSameWebhookId()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        await using var app = await WebhooksApp.StartAsync(database);
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (r, _) => Task.FromResult(r.Index == 1 ? 503 : 204);
        await app.AddWebhookAsync(receiver.Url());
        await app.AppendEventAsync();

        Assert.True(await receiver.ReceivesAsync(1));
        Assert.True(await Eventually.TrueAsync(async () => (await app.DeliveryAsync()).Attempts == 1));
        var failed = (await app.DeliveryAsync());
        Assert.Equal(DeliveryStatus.Pending, failed.Status);
        Assert.Equal(503, failed.ResponseCode);
        Assert.True(failed.NextAttemptAt - failed.LastAttemptAt <= TimeSpan.FromSeconds(10));
        Assert.False(await receiver.ReceivesAsync(2, seconds: 1), "retried before its time");

        app.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(await receiver.ReceivesAsync(2));
        Assert.Single(receiver.Requests.Select(r => r.Headers["webhook-id"].ToString()).Distinct());
        Assert.True(await Eventually.TrueAsync(async () => (await app.DeliveryAsync()).Status == DeliveryStatus.Succeeded));
        Assert.Equal(2, (await app.DeliveryAsync()).Attempts);
    }

    [Fact]
    public async Task AReceiverDownForAWhileGetsTheEventOnceItIsBack()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        await using var app = await WebhooksApp.StartAsync(database);
        var port = Receiver.FreePort();
        await app.AddWebhookAsync($"http://127.0.0.1:{port}/hooks");
        var e = await app.AppendEventAsync();

        // Down: the connection is refused, three times over six minutes.
        // Each try is due only once the clock passes its delay, so the count after each step is known in advance
        // (reading it after the step would race the worker).
        var expected = 0;
        foreach (var wait in new[] { 0, 5, 60 })
        {
            app.Time.Advance(TimeSpan.FromSeconds(wait));
            var tries = ++expected;
            Assert.True(await Eventually.TrueAsync(async () => (await app.DeliveryAsync()).Attempts == tries, TimeSpan.FromSeconds(10)));
        }
        var down = (await app.DeliveryAsync());
        Assert.Equal(DeliveryStatus.Pending, down.Status);
        Assert.Null(down.ResponseCode);
        Assert.StartsWith("network error", down.ResponseText);

        await using var receiver = await Receiver.StartAsync(port);
        app.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(await receiver.ReceivesAsync(1));
        Assert.Equal(e.PublicId, receiver.Requests.Single().Headers["webhook-id"].ToString());
        Assert.True(await Eventually.TrueAsync(async () => (await app.DeliveryAsync()).Status == DeliveryStatus.Succeeded));
    }

    [Fact]
    public async Task ARolledSecretSignsBesideTheOldOneFor24Hours()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        await using var app = await WebhooksApp.StartAsync(database);
        await using var receiver = await Receiver.StartAsync();
        var webhook = await app.AddWebhookAsync(receiver.Url());
        var rolled = await app.WithServicesAsync((s, o) => s.GetRequiredService<WebhookService>().RollSecretAsync(o.Id, webhook.Endpoint.PublicId, new("test")));
        Assert.NotEqual(webhook.Secret, rolled.Secret);

        await app.AppendEventAsync();
        Assert.True(await receiver.ReceivesAsync(1));
        var during = receiver.Requests.Single();
        Assert.Equal(2, SpecSignature.SignatureCount(during.Headers));
        Assert.True(SpecSignature.Verifies(webhook.Secret, during.Headers, during.Body));
        Assert.True(SpecSignature.Verifies(rolled.Secret, during.Headers, during.Body));

        app.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        await app.AppendEventAsync();
        Assert.True(await receiver.ReceivesAsync(2));
        var after = receiver.Requests.Last();
        Assert.Equal(1, SpecSignature.SignatureCount(after.Headers));
        Assert.False(SpecSignature.Verifies(webhook.Secret, after.Headers, after.Body));
        Assert.True(SpecSignature.Verifies(rolled.Secret, after.Headers, after.Body));
    }

    [Fact]
    public async Task TheSigningSecretIsStoredSealedNotInTheClear()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        await using var app = await WebhooksApp.StartAsync(database);
        var webhook = await app.AddWebhookAsync("https://sis.example.edu/cadence");
        var row = await app.EndpointAsync(webhook.Endpoint.PublicId);
        var key = webhook.Secret["whsec_".Length..];
        Assert.DoesNotContain(key, row.SecretSealed);
        Assert.DoesNotContain(Convert.ToHexString(Convert.FromBase64String(key)), Convert.ToHexString(Convert.FromBase64String(row.SecretSealed)));
        Assert.Equal(webhook.Secret, app.Services.GetRequiredService<WebhookSecrets>().Open(row.SecretSealed));
    }

    [Fact]
    public async Task AResponseIsReadOnlyUpToItsCapAndRedirectsAreNotFollowed()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        await using var app = await WebhooksApp.StartAsync(database);
        await using var elsewhere = await Receiver.StartAsync();
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = async (r, context) =>
        {
            if (r.Index == 1)
            {
                context.Response.StatusCode = 500;
                await context.Response.WriteAsync(new string('x', 1_000_000));
                return 500;
            }
            context.Response.Headers.Location = elsewhere.Url();
            return 307;
        };
        await app.AddWebhookAsync(receiver.Url());
        await app.AppendEventAsync();
        Assert.True(await Eventually.TrueAsync(async () => (await app.DeliveryAsync()).Attempts == 1));
        Assert.True((await app.DeliveryAsync()).ResponseText!.Length <= WebhookSender.KeptResponseLength);

        app.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(await Eventually.TrueAsync(async () => (await app.DeliveryAsync()).Attempts == 2));
        var redirected = (await app.DeliveryAsync());
        Assert.Equal(307, redirected.ResponseCode);
        Assert.Equal(DeliveryStatus.Pending, redirected.Status);
        Assert.Empty(elsewhere.Requests);
    }
}
