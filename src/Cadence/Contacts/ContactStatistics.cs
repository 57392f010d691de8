using System.Threading.Channels;
using Cadence.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cadence.Contacts;

/// <summary>
/// PostgreSQL plans the listing from the contacts' statistics, which a large import leaves stale until autovacuum gets
/// to them (a minute or more later). Measured on 1,000,000 contacts loaded in ten imports without statistics: a page past
/// the first import was planned as a bitmap scan and a sort of every later row, 1.7-2.0 s, against 0.5 ms once the table
/// was analyzed (the scale bench's first hundred pages ran at 6,655 contacts/s). So after an import writes at least
/// <see cref="RowsWorthAnalyzing"/> contacts, this service analyzes the table in the background: at most one request
/// waits, whatever the number of imports (ANALYZE of a million contacts took about 0.9 s). SQLite needs nothing: its
/// plans do not depend on statistics the import leaves behind.
/// </summary>
public sealed class ContactStatistics(IServiceScopeFactory scopes, IOptions<DataOptions> data, ILogger<ContactStatistics> logger) : BackgroundService
{
    public const int RowsWorthAnalyzing = 10_000;

    readonly Channel<bool> requests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Called once an import has committed; only PostgreSQL is analyzed.</summary>
    public void Written(int contacts)
    {
        if (contacts >= RowsWorthAnalyzing && data.Value.UsesPostgres)
        {
            requests.Writer.TryWrite(true);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var _ in requests.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<CadenceDb>().Database.ExecuteSqlRawAsync("ANALYZE \"Contacts\"", stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(e, "Could not refresh the contacts' statistics after a large import; autovacuum will.");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }
}
