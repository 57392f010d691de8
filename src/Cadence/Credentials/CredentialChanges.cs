using Cadence.Data;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Credentials;

/// <summary>Saves a change to a credential and tells every node to forget what it cached of it.</summary>
public sealed class CredentialChanges(ICredentialCache cache)
{
    public const string Channel = "cadence_credentials";

    public async Task SaveAndPublishAsync(CadenceDb db, string key, CancellationToken cancellationToken)
    {
        if (db.IsPostgres)
        {
            // NOTIFY inside the transaction is delivered exactly when the change commits.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {key})", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        else
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        cache.Evict(key);
    }
}
