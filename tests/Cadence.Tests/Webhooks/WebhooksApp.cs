using Cadence.Audit;
using Cadence.Data;
using Cadence.Events;
using Cadence.Tests.Infrastructure;
using Cadence.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Tests.Webhooks;

/// <summary>Helpers over <see cref="CadenceApp"/> for webhook tests: endpoints, events, the worker and the delivery rows.</summary>
public static class WebhooksApp
{
    /// <summary>A server whose webhooks may call receivers on loopback (the tests' receivers are there).</summary>
    public static Task<CadenceApp> StartAsync(TestDatabase database, Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["Cadence:Webhooks:AllowPrivateNetworks"] = "true" };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }
        return CadenceApp.StartAsync(database, all);
    }

    public static Task<IssuedWebhook> AddWebhookAsync(this CadenceApp app, string url, string[]? types = null, string[]? teams = null) =>
        app.WithServicesAsync((services, organization) => services.GetRequiredService<WebhookService>()
            .AddAsync(organization.Id, url, types ?? [EventTypes.ContactOptedOut], teams ?? [], new Actor("test")));

    /// <summary>Writes an event as a producer would (h-events' producers write them in the change's transaction).</summary>
    public static Task<Event> AppendEventAsync(this CadenceApp app, string type = EventTypes.ContactOptedOut, Guid? teamId = null, string? code = null) =>
        app.WithServicesAsync(async (services, organization) =>
        {
            var db = services.GetRequiredService<CadenceDb>();
            var e = db.Append(organization.Id, teamId, code, type, app.Time.GetUtcNow().UtcDateTime,
                new EventContact("P0001", "Ada", "Lovelace", "+12025550101"), new { source = "keyword" });
            await db.SaveChangesAsync();
            return e;
        });

    public static Task<List<WebhookDelivery>> DeliveriesAsync(this CadenceApp app) =>
        app.WithServicesAsync((services, _) => services.GetRequiredService<CadenceDb>().WebhookDeliveries().AsNoTracking().OrderBy(d => d.Id).ToListAsync());

    /// <summary>The one delivery of a test, once the fan-out has made it (bounded wait).</summary>
    public static async Task<WebhookDelivery> DeliveryAsync(this CadenceApp app)
    {
        List<WebhookDelivery> all = [];
        Assert.True(await Eventually.TrueAsync(async () => (all = await app.DeliveriesAsync()).Count > 0, TimeSpan.FromSeconds(10)), "no delivery was queued");
        return Assert.Single(all);
    }

    public static Task<WebhookEndpoint> EndpointAsync(this CadenceApp app, string publicId) =>
        app.WithServicesAsync((services, _) => services.GetRequiredService<CadenceDb>().WebhookEndpoints().AsNoTracking().SingleAsync(e => e.PublicId == publicId));

    public static Task<List<(string Id, string Url)>> WebhookIdsAsync(this CadenceApp app) =>
        app.WithServicesAsync(async (services, _) => (await services.GetRequiredService<CadenceDb>().WebhookEndpoints().AsNoTracking()
            .Select(e => new { e.PublicId, e.Url }).ToListAsync()).Select(e => (e.PublicId, e.Url)).ToList());

    public static Task<bool> RunWorkerAsync(this CadenceApp app) => app.Services.GetRequiredService<WebhookWorker>().RunOnceAsync(CancellationToken.None);

    /// <summary>Waits, bounded, until the receiver holds at least this many requests.</summary>
    public static async Task<bool> ReceivesAsync(this Receiver receiver, int count, int seconds = 10) =>
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Requests.Count >= count), TimeSpan.FromSeconds(seconds));
}
