using Microsoft.EntityFrameworkCore;

namespace Cadence.Console;

/// <summary>A console list read newest first, a page at a time (the audit log, a webhook's deliveries).</summary>
public static class NewestFirst
{
    /// <summary>
    /// The first <paramref name="size"/> rows of <paramref name="ordered"/>, and the id to show older rows from when
    /// there are more (the page reads one row beyond itself to know), else null.
    /// </summary>
    public static async Task<(List<T> Rows, long? Older)> PageAsync<T>(IQueryable<T> ordered, int size, Func<T, long> id, CancellationToken cancellationToken)
    {
        var rows = await ordered.Take(size + 1).ToListAsync(cancellationToken);
        if (rows.Count <= size)
        {
            return (rows, null);
        }
        rows.RemoveAt(size);
        return (rows, id(rows[^1]));
    }
}
