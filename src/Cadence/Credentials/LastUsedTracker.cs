using System.Collections.Concurrent;
using System.Net;
using Cadence.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cadence.Credentials;

/// <summary>
/// Remembers when and from where each credential was last used. Requests only write to memory;
/// <see cref="LastUsedFlusher"/> writes the latest use of each credential every few seconds and at shutdown.
/// </summary>
public sealed class LastUsedTracker
{
    ConcurrentDictionary<Guid, (DateTime At, IPAddress? Ip)> pending = new();

    public void Record(Guid credentialId, DateTime at, IPAddress? ip)
    {
        // Most requests repeat the last use to within a second: skip the write (and its allocation) then.
        var uses = pending;
        if (uses.TryGetValue(credentialId, out var last) && at - last.At < TimeSpan.FromSeconds(1) && Equals(last.Ip, ip))
        {
            return;
        }
        uses[credentialId] = (at, ip);
    }

    /// <summary>Puts back uses that could not be written (the database was away), unless a later use came meanwhile.</summary>
    public void Restore(IEnumerable<KeyValuePair<Guid, (DateTime At, IPAddress? Ip)>> uses)
    {
        foreach (var (id, use) in uses)
        {
            pending.AddOrUpdate(id, use, (_, later) => later.At >= use.At ? later : use);
        }
    }

    public IReadOnlyCollection<KeyValuePair<Guid, (DateTime At, IPAddress? Ip)>> TakeAll() =>
        Interlocked.Exchange(ref pending, new ConcurrentDictionary<Guid, (DateTime, IPAddress?)>());
}

public sealed class LastUsedFlusher(LastUsedTracker tracker, IOptions<CredentialOptions> options, IServiceScopeFactory scopes, ILogger<LastUsedFlusher> logger)
    : BackgroundService
{
    readonly TimeSpan flushInterval = options.Value.LastUsedFlushInterval;
    readonly OutageBackoff backoff = new(logger, "Recording when credentials were last used");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(flushInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (await FlushAsync(stoppingToken) is { } wait)
            {
                await OutageBackoff.WaitAsync(wait, stoppingToken);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // The last uses are written even when the host hurries the shutdown: its token may already be cancelled.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await FlushAsync(timeout.Token);
    }

    /// <summary>Writes the uses noted since the last flush; on failure keeps them and says how long to wait.</summary>
    async Task<TimeSpan?> FlushAsync(CancellationToken cancellationToken)
    {
        var uses = tracker.TakeAll();
        if (uses.Count == 0)
        {
            return null;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CadenceDb>();
            foreach (var (id, (at, ip)) in uses)
            {
                var address = ip?.IsIPv4MappedToIPv6 == true ? ip.MapToIPv4().ToString() : ip?.ToString();
                // UpdatedAt is left alone: a use is not a change that other nodes must re-read.
                await db.Credentials.Where(c => c.Id == id && (c.LastUsedAt == null || c.LastUsedAt < at))
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastUsedAt, at).SetProperty(c => c.LastUsedIp, address), cancellationToken);
            }
            backoff.Succeeded();
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Kept for the next flush (each write is idempotent: only a later use replaces an earlier one).
            tracker.Restore(uses);
            return backoff.Failed(e);
        }
    }
}
