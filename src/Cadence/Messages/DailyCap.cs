using System.Security.Cryptography;
using Cadence.Data;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Messages;

/// <summary>
/// The per-credential daily cap (PRODUCT.md: a stolen credential cannot text without end). The count and the
/// insert that follows it must be one step, or sends side by side all see room and all pass: on PostgreSQL
/// (READ COMMITTED) a transaction-scoped advisory lock per credential serialises them; on SQLite the
/// caller's transaction already holds the database's write lock (Microsoft.Data.Sqlite begins IMMEDIATE).
/// Either lock lasts until the messages are committed.
/// </summary>
public sealed class DailyCap(CadenceDb db, TimeProvider time, int cap)
{
    public async Task CheckAsync(Guid? credentialId, int adding, CancellationToken cancellationToken)
    {
        if (credentialId is not { } id)
        {
            return;
        }
        if (db.Database.CurrentTransaction is null)
        {
            // A programming error, not the caller's: without a transaction the lock would end at once.
            throw new InvalidOperationException("The daily cap is checked inside the transaction that writes the messages.");
        }
        if (db.IsPostgres)
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockKey(id)})", cancellationToken);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var dayStart = now.Date;
        var today = await db.Messages.CountAsync(m => m.CredentialId == id && m.CreatedAt >= dayStart, cancellationToken);
        if (today + adding > cap)
        {
            throw new CadenceException(
                $"This credential may trigger {cap:N0} texts a day (UTC); it has {today:N0} today. Ask an administrator if you need more.",
                StatusCodes.Status429TooManyRequests, "daily_cap_reached")
            { RetryAfter = dayStart.AddDays(1) - now };
        }
    }

    /// <summary>
    /// Stable across nodes and restarts. Hashed with a purpose prefix so that it does not share keys with the
    /// imports' per-team locks (which use the team id's bytes): advisory locks have one key space.
    /// </summary>
    public static long LockKey(Guid credentialId) =>
        BitConverter.ToInt64(SHA256.HashData([.. "cadence.daily-cap:"u8, .. credentialId.ToByteArray()]));
}
