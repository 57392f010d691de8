using Cadence.Audit;
using Cadence.Data;
using Cadence.Events;
using Cadence.Tests.Infrastructure;
using Cadence.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Tests.Webhooks;

/// <summary>Nodes on one PostgreSQL database share fan-out and delivery: each event reaches each endpoint once.</summary>
public sealed class SharedDeliveryTests
{
    [Fact]
    public async Task TwoPostgresNodesDeliverOneEventStreamEachEventOnce()
    {
        const int Events = 400;
        await using var database = await TestDatabase.CreateAsync(Store.Postgres);
        var fast = new Dictionary<string, string?> { ["Cadence:Webhooks:PollInterval"] = "00:00:00.020" };
        await using var nodeA = await WebhooksApp.StartAsync(database, fast);
        await using var nodeB = await WebhooksApp.StartAsync(database, fast);
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = async (_, _) =>
        {
            await Task.Delay(2); // a receiver that takes a moment, so that both nodes have work in hand at once
            return 200;
        };
        await nodeA.AddWebhookAsync(receiver.Url(), [EventTypes.ContactOptedOut]);
        await nodeA.AddWebhookAsync(receiver.Url("/second"), [EventTypes.ContactOptedOut]);

        // Written from both nodes while both dispatch and deliver.
        await Parallel.ForAsync(0, Events, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            await (i % 2 == 0 ? nodeA : nodeB).AppendEventAsync());

        Assert.True(await receiver.ReceivesAsync(2 * Events, seconds: 60), $"{receiver.Requests.Count} of {2 * Events} delivered");
        Assert.True(await Eventually.TrueAsync(async () => (await nodeB.DeliveriesAsync()).Count(d => d.Status == DeliveryStatus.Succeeded) >= 2 * Events,
            TimeSpan.FromSeconds(30)), "not every delivery was marked as succeeded");
        var rows = await nodeB.DeliveriesAsync();
        // Once both nodes have stopped no delivery can still be under way, so what the receiver has is final.
        await nodeA.DisposeAsync();
        await nodeB.DisposeAsync();

        var perEndpoint = receiver.Requests.GroupBy(r => (r.Path, Id: r.Headers["webhook-id"].ToString())).ToList();
        Assert.Equal(2 * Events, perEndpoint.Count);
        Assert.All(perEndpoint, g => Assert.Single(g));
        Assert.Equal(2 * Events, rows.Count);
        Assert.All(rows, d => Assert.Equal(DeliveryStatus.Succeeded, d.Status));
    }

    [Fact]
    public async Task AnEndpointFailingForThreeDaysIsDisabledAndAudited()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        await using var app = await WebhooksApp.StartAsync(database);
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, _) => Task.FromResult(500);
        var webhook = await app.AddWebhookAsync(receiver.Url());

        // An event every six hours for three days, every try refused (and every retry that falls due).
        for (var hour = 0; hour <= 72; hour += 6)
        {
            await app.AppendEventAsync();
            var now = app.Time.GetUtcNow().UtcDateTime;
            var endpoint = webhook.Endpoint;
            Assert.True(await Eventually.TrueAsync(async () =>
            {
                endpoint = await app.EndpointAsync(webhook.Endpoint.PublicId);
                var open = (await app.DeliveriesAsync()).Where(d => d.ClaimToken != null || (d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now));
                return !endpoint.Enabled || ((await app.DeliveriesAsync()).Count > hour / 6 && !open.Any());
            }, TimeSpan.FromSeconds(30)), $"hour {hour}: the worker did not get through the due deliveries");
            Assert.True(hour < 72 == endpoint.Enabled, $"hour {hour}: enabled is {endpoint.Enabled}");
            app.Time.Advance(TimeSpan.FromHours(6));
        }
        var disabled = await app.EndpointAsync(webhook.Endpoint.PublicId);
        Assert.StartsWith("every delivery failed since 2026-09-01 12:00", disabled.DisabledReason);
        var audit = await app.WithServicesAsync((s, _) => s.GetRequiredService<CadenceDb>().AuditEvents.Where(a => a.Action == "webhook.disabled").ToListAsync());
        Assert.Equal(webhook.Endpoint.PublicId, Assert.Single(audit).Target);

        // Disabled: nothing more is sent to it, until an admin enables it again.
        var tried = receiver.Requests.Count;
        await app.AppendEventAsync();
        app.Time.Advance(TimeSpan.FromDays(1));
        await app.RunWorkerAsync();
        Assert.Equal(tried, receiver.Requests.Count);
        receiver.Respond = (_, _) => Task.FromResult(200);
        await app.WithServicesAsync(async (s, o) =>
        {
            await s.GetRequiredService<WebhookService>().SetEnabledAsync(o.Id, webhook.Endpoint.PublicId, true, new Actor("test"));
            return 0;
        });
        Assert.True(await receiver.ReceivesAsync(tried + 1));
    }
}
