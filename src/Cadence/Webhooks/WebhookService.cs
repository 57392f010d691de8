using System.Security.Cryptography;
using Cadence.Audit;
using Cadence.Data;
using Cadence.Events;
using Cadence.Teams;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Webhooks;

/// <summary>A new endpoint and its signing secret, which is shown this once.</summary>
public sealed record IssuedWebhook(WebhookEndpoint Endpoint, string Secret);

/// <summary>What the CLI and the console do to endpoints. Who may do it is their business; every change is audited.</summary>
public sealed class WebhookService(CadenceDb db, WebhookSecrets secrets, WebhookSettings settings, TimeProvider time)
{
    const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    public const int MaxEndpoints = 100;
    public static readonly TimeSpan RollGrace = TimeSpan.FromHours(24);

    public async Task<IssuedWebhook> AddAsync(Guid organizationId, string? url, IReadOnlyCollection<string> eventTypes,
        IReadOnlyCollection<string> teamCodes, Actor actor, CancellationToken cancellationToken = default)
    {
        var valid = WebhookUrl.Validate(url, settings.AllowPrivateNetworks);
        var types = eventTypes.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct().ToList();
        if (types.Count == 0)
        {
            throw new CadenceException($"Choose at least one event type: {string.Join(", ", EventTypes.All)}.", code: "invalid_event_type");
        }
        if (types.FirstOrDefault(t => !EventTypes.All.Contains(t)) is { } unknown)
        {
            throw new CadenceException($"'{TextCut.Cut(unknown, 40)}' is not an event type: use {string.Join(", ", EventTypes.All)}.",
                code: "invalid_event_type");
        }
        var teams = await TeamLookup.FindAllAsync(db, organizationId, teamCodes, cancellationToken);
        if (await db.WebhookEndpoints().CountAsync(e => e.OrganizationId == organizationId, cancellationToken) >= MaxEndpoints)
        {
            throw new CadenceException($"There are already {MaxEndpoints} webhooks: remove one first.", StatusCodes.Status409Conflict);
        }
        var secret = WebhookSecrets.New();
        var now = time.GetUtcNow().UtcDateTime;
        var endpoint = new WebhookEndpoint
        {
            PublicId = "whk_" + RandomNumberGenerator.GetString(Base62, 16),
            OrganizationId = organizationId,
            Url = valid,
            EventTypes = string.Join(',', types),
            Teams = [.. teams.Select(t => new WebhookEndpointTeam { TeamId = t.Id, Team = t })],
            SecretSealed = secrets.Seal(secret),
            CreatedAt = now,
            CreatedBy = actor.Name,
        };
        db.WebhookEndpoints().Add(endpoint);
        db.Record(organizationId, actor, "webhook.created", endpoint.PublicId, now,
            $"{valid} · {endpoint.EventTypes} · teams: {(teams.Count == 0 ? "all" : string.Join(",", teams.Select(t => t.DepartmentCode).Order()))}");
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedWebhook(endpoint, secret);
    }

    public Task<List<WebhookEndpoint>> ListAsync(Guid organizationId, CancellationToken cancellationToken = default) =>
        db.WebhookEndpoints().AsNoTracking().Include(e => e.Teams).ThenInclude(t => t.Team)
            .Where(e => e.OrganizationId == organizationId).OrderBy(e => e.CreatedAt).ToListAsync(cancellationToken);

    public async Task<WebhookEndpoint> FindAsync(Guid organizationId, string publicId, CancellationToken cancellationToken = default) =>
        await db.WebhookEndpoints().Include(e => e.Teams).ThenInclude(t => t.Team)
            .SingleOrDefaultAsync(e => e.OrganizationId == organizationId && e.PublicId == publicId.Trim(), cancellationToken)
        ?? throw new CadenceException($"There is no webhook '{TextCut.Cut(publicId, 40)}'.", StatusCodes.Status404NotFound);

    public async Task RemoveAsync(Guid organizationId, string publicId, Actor actor, CancellationToken cancellationToken = default)
    {
        var endpoint = await FindAsync(organizationId, publicId, cancellationToken);
        db.WebhookEndpoints().Remove(endpoint);
        db.Record(organizationId, actor, "webhook.removed", endpoint.PublicId, time.GetUtcNow().UtcDateTime, endpoint.Url);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A new secret; the old one still signs (a second signature) for 24 hours, so the receiver can switch over.</summary>
    public async Task<IssuedWebhook> RollSecretAsync(Guid organizationId, string publicId, Actor actor, CancellationToken cancellationToken = default)
    {
        var endpoint = await FindAsync(organizationId, publicId, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var secret = WebhookSecrets.New();
        endpoint.PreviousSecretSealed = endpoint.SecretSealed;
        endpoint.PreviousSecretUntil = now + RollGrace;
        endpoint.SecretSealed = secrets.Seal(secret);
        db.Record(organizationId, actor, "webhook.secret_rolled", endpoint.PublicId, now, $"old secret signs too until {endpoint.PreviousSecretUntil:u}");
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedWebhook(endpoint, secret);
    }

    public async Task SetEnabledAsync(Guid organizationId, string publicId, bool enabled, Actor actor, CancellationToken cancellationToken = default)
    {
        var endpoint = await FindAsync(organizationId, publicId, cancellationToken);
        if (endpoint.Enabled == enabled)
        {
            return;
        }
        endpoint.Enabled = enabled;
        endpoint.DisabledReason = enabled ? null : $"disabled by {actor.Name}";
        endpoint.FailingSince = null;
        db.Record(organizationId, actor, enabled ? "webhook.enabled" : "webhook.disabled", endpoint.PublicId, time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Queues a "webhook.test" delivery to this endpoint alone (not an event: the feed never shows it).</summary>
    public async Task<WebhookDelivery> SendTestAsync(Guid organizationId, string publicId, Actor actor, CancellationToken cancellationToken = default)
    {
        var endpoint = await FindAsync(organizationId, publicId, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var test = EventLog.Build(organizationId, null, null, "webhook.test", now, null, new { message = "A test event sent from Cadence.", requestedBy = actor.Name });
        var delivery = WebhookDispatcher.NewDelivery(endpoint.Id, test, now);
        db.WebhookDeliveries().Add(delivery);
        await db.SaveChangesAsync(cancellationToken);
        return delivery;
    }

    /// <summary>Sends a delivery again from the start (same webhook-id, so a receiver that has it can tell).</summary>
    public async Task ResendAsync(Guid organizationId, string publicId, long deliveryId, Actor actor, CancellationToken cancellationToken = default)
    {
        var endpoint = await FindAsync(organizationId, publicId, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var changed = await db.WebhookDeliveries().Where(d => d.Id == deliveryId && d.EndpointId == endpoint.Id && d.Status != DeliveryStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Pending).SetProperty(d => d.NextAttemptAt, now)
                .SetProperty(d => d.Attempts, 0).SetProperty(d => d.ClaimToken, (Guid?)null), cancellationToken);
        if (changed == 0)
        {
            throw new CadenceException("There is no such finished delivery to resend (a pending one is already on its way).", StatusCodes.Status404NotFound);
        }
    }
}
