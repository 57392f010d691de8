using Cadence.Audit;
using Cadence.Data;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Webhooks;

/// <summary>
/// Fans out new events, then delivers what is due. A node claims a batch (an UPDATE; FOR UPDATE SKIP LOCKED on
/// PostgreSQL, so nodes share the work) with a lease: a delivery whose worker was killed mid-request is retried once
/// the lease is over, with the same webhook-id (at least once, never lost).
/// </summary>
public sealed class WebhookWorker(IServiceScopeFactory scopes, WebhookSender sender, WebhookSecrets secrets, WebhookSettings settings,
    TimeProvider time, ILogger<WebhookWorker> logger) : BackgroundService
{
    const int BatchSize = 200;
    // Soonest due first; only deliveries are locked, not the endpoints joined to see that they are enabled.
    static readonly OutboxClaim Claim = new("WebhookDeliveries", "ClaimedUntil", "d.\"NextAttemptAt\"")
    {
        Alias = "d",
        Join = "JOIN \"WebhookEndpoints\" e ON e.\"Id\" = d.\"EndpointId\"",
    };
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(30);
    readonly SemaphoreSlim dispatching = new(1, 1);
    DateTime nextCleanup;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        OutboxLoop.RunAsync(RunOnceAsync, settings.PollInterval, logger, "The webhook worker", stoppingToken);

    /// <summary>One round: fan out a batch of events and deliver a batch; false when there was nothing to do.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CadenceDb>();
        var now = time.GetUtcNow().UtcDateTime;
        int dispatched;
        await dispatching.WaitAsync(cancellationToken);
        try
        {
            dispatched = await WebhookDispatcher.RunOnceAsync(db, now, cancellationToken);
        }
        finally
        {
            dispatching.Release();
        }
        if (now >= nextCleanup)
        {
            nextCleanup = now + TimeSpan.FromMinutes(10);
            var old = now - KeptFor;
            await db.WebhookDeliveries().Where(d => d.Status != DeliveryStatus.Pending && d.CreatedAt < old).ExecuteDeleteAsync(cancellationToken);
        }
        var delivered = await DeliverAsync(db, cancellationToken);
        return dispatched > 0 || delivered > 0;
    }

    /// <summary>
    /// No more than can be seen through within the lease even if every receiver stalls until the timeout: otherwise
    /// another node would take over deliveries still in hand and send them twice.
    /// </summary>
    int ClaimSize => Math.Clamp(settings.Concurrency * ((int)(settings.ClaimLease / settings.Timeout) - 1), 1, BatchSize);

    async Task<int> DeliverAsync(CadenceDb db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (!await db.WebhookDeliveries().AnyAsync(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now, cancellationToken))
        {
            return 0; // a read first: an idle node takes no write lock
        }
        var claim = Guid.NewGuid();
        var until = now + settings.ClaimLease;
        var due = (FormattableString)$"d.\"Status\" = 'pending' AND e.\"Enabled\" AND d.\"NextAttemptAt\" <= {now} AND (d.\"ClaimedUntil\" IS NULL OR d.\"ClaimedUntil\" < {now})";
        if (await Claim.ClaimAsync(db, due, claim, until, ClaimSize, cancellationToken) == 0)
        {
            return 0;
        }
        var deliveries = await db.WebhookDeliveries().Where(d => d.ClaimToken == claim).ToListAsync(cancellationToken);
        var ids = deliveries.Select(d => d.EndpointId).Distinct().ToList();
        var endpoints = await db.WebhookEndpoints().Where(e => ids.Contains(e.Id)).ToDictionaryAsync(e => e.Id, cancellationToken);
        var signing = endpoints.Values.ToDictionary(e => e.Id, e => SecretsOf(e, now));
        var outcomes = new AttemptOutcome[deliveries.Count];
        // Not the stopping token: a request under way is seen through (the timeout bounds it) and its outcome recorded.
        await Parallel.ForAsync(0, deliveries.Count, new ParallelOptions { MaxDegreeOfParallelism = settings.Concurrency }, async (i, _) =>
        {
            var d = deliveries[i];
            outcomes[i] = await sender.SendAsync(endpoints[d.EndpointId].Url, d.WebhookId, d.Payload, signing[d.EndpointId], time.GetUtcNow(), CancellationToken.None);
        });
        var finished = time.GetUtcNow().UtcDateTime;
        for (var i = 0; i < deliveries.Count; i++)
        {
            Record(deliveries[i], outcomes[i], finished);
        }
        foreach (var endpoint in endpoints.Values)
        {
            var results = deliveries.Select((d, i) => (d, o: outcomes[i])).Where(x => x.d.EndpointId == endpoint.Id).Select(x => x.o).ToList();
            UpdateHealth(db, endpoint, results.Any(o => o.Success), finished);
        }
        await db.SaveChangesAsync(CancellationToken.None);
        return deliveries.Count;
    }

    List<string> SecretsOf(WebhookEndpoint endpoint, DateTime now) =>
        endpoint.PreviousSecretSealed is { } previous && endpoint.PreviousSecretUntil > now
            ? [secrets.Open(endpoint.SecretSealed), secrets.Open(previous)]
            : [secrets.Open(endpoint.SecretSealed)];

    static void Record(WebhookDelivery d, AttemptOutcome outcome, DateTime now)
    {
        d.Attempts++;
        d.LastAttemptAt = now;
        d.ResponseCode = outcome.StatusCode;
        d.ResponseText = outcome.Text;
        d.ClaimToken = null;
        d.ClaimedUntil = null;
        // Counted per attempt, as it is recorded (cadence.webhook.deliveries{result}).
        if (outcome.Success)
        {
            d.Status = DeliveryStatus.Succeeded;
            Metrics.CadenceMetrics.WebhookDelivery("succeeded");
        }
        else if (!outcome.Refused && RetrySchedule.After(d.Attempts) is { } wait)
        {
            d.NextAttemptAt = now + wait;
            Metrics.CadenceMetrics.WebhookDelivery("retrying");
        }
        else
        {
            // Out of tries, or a destination Cadence will not call (trying again would not change that).
            d.Status = DeliveryStatus.Failed;
            Metrics.CadenceMetrics.WebhookDelivery("failed");
        }
    }

    /// <summary>A success clears the failing run; three days of nothing but failures disables the endpoint, audited.</summary>
    void UpdateHealth(CadenceDb db, WebhookEndpoint endpoint, bool anySuccess, DateTime now)
    {
        if (anySuccess)
        {
            endpoint.FailingSince = null;
            return;
        }
        endpoint.FailingSince ??= now;
        if (endpoint.Enabled && now - endpoint.FailingSince >= settings.DisableAfter)
        {
            endpoint.Enabled = false;
            endpoint.DisabledReason = $"every delivery failed since {endpoint.FailingSince:yyyy-MM-dd HH:mm} UTC";
            db.Record(endpoint.OrganizationId, new Actor("system:webhooks"), "webhook.disabled", endpoint.PublicId, now, endpoint.DisabledReason);
            logger.LogWarning("Webhook {Id} ({Url}) is disabled: {Reason}.", endpoint.PublicId, endpoint.Url, endpoint.DisabledReason);
        }
    }
}
