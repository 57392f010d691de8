namespace Cadence.Contacts;

/// <summary>
/// At most a few imports at once per node: each holds the database's write lock (SQLite) or a connection and
/// its team's contacts in memory. The slot is taken only once the body is received (ImportSpool), so a slow
/// upload cannot hold one. Others wait briefly, then get a 429.
/// </summary>
public sealed class ImportGate
{
    public const int Concurrent = 2;
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    readonly SemaphoreSlim slots = new(Concurrent);

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        if (!await slots.WaitAsync(Wait, cancellationToken))
        {
            throw new CadenceException($"{Concurrent} imports are already running on this server. Retry in a minute.",
                StatusCodes.Status429TooManyRequests, "imports_busy") { RetryAfter = TimeSpan.FromMinutes(1) };
        }
        return new Slot(slots);
    }

    sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
