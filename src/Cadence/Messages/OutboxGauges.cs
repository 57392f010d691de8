using System.Diagnostics.Metrics;
using Cadence.Data;
using Cadence.Metrics;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Messages;

/// <summary>
/// The outbox's depth (queued texts that are due) and the age of the oldest due one, read from the database when
/// scraped, at most once per <see cref="CacheFor"/> whatever the number of scrapers, never on a request's path.
/// Texts scheduled for later or held for quiet hours are not a backlog and are not counted until due. The outbox's own
/// (Metrics knows no feature): <see cref="DeliveryExtensions.AddSmsDelivery"/> has it made with the meter provider.
/// </summary>
public sealed class OutboxGauges : IDisposable
{
    static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(2);

    readonly IServiceScopeFactory scopes;
    readonly TimeProvider time;
    readonly ILogger<OutboxGauges> logger;
    readonly Meter meter;
    readonly Lock reading = new();
    Snapshot? last;

    sealed record Snapshot(DateTime ReadAt, long Depth, double OldestAgeSeconds);

    public OutboxGauges(IMeterFactory meters, IServiceScopeFactory scopes, TimeProvider time, ILogger<OutboxGauges> logger)
    {
        this.scopes = scopes;
        this.time = time;
        this.logger = logger;
        meter = meters.Create(CadenceMetrics.MeterName);
        meter.CreateObservableGauge("cadence.outbox.depth", () => Read() is { } s ? [new Measurement<long>(s.Depth)] : Array.Empty<Measurement<long>>(),
            "{text}", "Queued outbound texts that are due to be sent.");
        meter.CreateObservableGauge("cadence.outbox.oldest_age", () => Read() is { } s ? [new Measurement<double>(s.OldestAgeSeconds)] : Array.Empty<Measurement<double>>(),
            "s", "How long the oldest due queued text has waited (0 when none).");
    }

    Snapshot? Read()
    {
        lock (reading)
        {
            var now = time.GetUtcNow().UtcDateTime;
            if (last is not null && now - last.ReadAt < CacheFor && now >= last.ReadAt)
            {
                return last;
            }
            try
            {
                using var scope = scopes.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<CadenceDb>();
                using var timeout = new CancellationTokenSource(QueryTimeout);
                // The (Status, CreatedAt) index serves both. The gauge's callback is synchronous; the wait is bounded
                // so that a database outage does not hold the scrape for the connection timeout.
                var due = db.Messages.AsNoTracking().Where(m => m.Status == MessageStatus.Queued && m.Direction == "outbound" && (m.NotBefore == null || m.NotBefore <= now));
                var depth = due.LongCountAsync(timeout.Token).GetAwaiter().GetResult();
                var oldest = depth == 0 ? null : due.MinAsync(m => (DateTime?)(m.NotBefore ?? m.CreatedAt), timeout.Token).GetAwaiter().GetResult();
                last = new Snapshot(now, depth, oldest is { } o && o < now ? (now - o).TotalSeconds : 0);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A database outage must not break the scrape of every other metric: the gauges go missing instead.
                logger.LogDebug(e, "Reading the outbox depth for the metrics failed.");
                last = null;
            }
            return last;
        }
    }

    public void Dispose() => meter.Dispose();
}
