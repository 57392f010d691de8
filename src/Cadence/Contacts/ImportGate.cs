using System.Threading.RateLimiting;

namespace Cadence.Contacts;

/// <summary>
/// At most a few imports at once per node: each holds the database's write lock (SQLite) or a connection and
/// its team's contacts in memory. The slot is taken only once the body is received (ImportSpool), so a slow
/// upload cannot hold one. Others wait in turn, a few at most and briefly, then get a 429.
/// The framework's <see cref="ConcurrencyLimiter"/> does the counting and keeps the queue in order.
/// </summary>
public sealed class ImportGate : IDisposable
{
    public const int Concurrent = 2;
    /// <summary>Imports that may wait for a slot; past them one is turned away at once, holding nothing.</summary>
    public const int Waiting = 8;
    static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);
    readonly TimeSpan wait;
    readonly ConcurrencyLimiter slots = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = Concurrent,
        QueueLimit = Waiting,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    public ImportGate() : this(DefaultWait)
    {
    }

    internal ImportGate(TimeSpan wait) => this.wait = wait;

    /// <summary>A slot, freed when disposed (once, however often it is disposed).</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        using var waited = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        waited.CancelAfter(wait);
        try
        {
            var lease = await slots.AcquireAsync(1, waited.Token);
            if (lease.IsAcquired)
            {
                return lease;
            }
            lease.Dispose();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Waited long enough: busy, as when the queue is full.
        }
        throw Busy($"{Concurrent} imports are already running on this server. Retry in a minute.");
    }

    /// <summary>The one answer when an import cannot start now, whichever limit refused it: 429 imports_busy, retry in a minute.</summary>
    internal static CadenceException Busy(string detail) =>
        new(detail, StatusCodes.Status429TooManyRequests, "imports_busy") { RetryAfter = TimeSpan.FromMinutes(1) };

    public void Dispose() => slots.Dispose();
}
