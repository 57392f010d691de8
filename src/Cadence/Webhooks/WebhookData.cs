using Cadence.Data;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Webhooks;

/// <summary>The webhook tables, reached through the one model without widening CadenceDb's list of sets.</summary>
public static class WebhookData
{
    public static DbSet<WebhookEndpoint> WebhookEndpoints(this CadenceDb db) => db.Set<WebhookEndpoint>();
    public static DbSet<WebhookDelivery> WebhookDeliveries(this CadenceDb db) => db.Set<WebhookDelivery>();
    public static DbSet<WebhookPosition> WebhookPositions(this CadenceDb db) => db.Set<WebhookPosition>();
}
