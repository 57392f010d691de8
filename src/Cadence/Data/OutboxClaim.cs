using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Data;

/// <summary>
/// The one statement with which a node claims a batch of an outbox (texts, emails, webhook deliveries): an UPDATE
/// that stamps due rows with this round's claim token. Hand-written because EF Core's ExecuteUpdate cannot take
/// "a limited batch, skipping rows another node has locked": on PostgreSQL the pick is FOR UPDATE SKIP LOCKED, so two
/// nodes never wait on or take the same rows; SQLite has one writer at a time, so the plain form is already exclusive.
/// </summary>
/// <param name="Table">The outbox table, whose ClaimToken and <paramref name="ClaimedColumn"/> are set.</param>
/// <param name="ClaimedColumn">The column stamped with the claim's time (the start of a lease, or its end).</param>
/// <param name="OrderBy">Which due rows go first.</param>
public sealed record OutboxClaim(string Table, string ClaimedColumn, string OrderBy)
{
    /// <summary>The name the pick gives the table's rows, when <see cref="Join"/> brings in others; only they are locked.</summary>
    public string? Alias { get; init; }

    /// <summary>Joined to the table to decide what is due (e.g. the endpoint is enabled).</summary>
    public string? Join { get; init; }

    /// <summary>
    /// Stamps up to <paramref name="batchSize"/> rows that meet <paramref name="due"/> (SQL over the table's columns,
    /// its values passed as parameters) with <paramref name="claim"/> and <paramref name="claimedAt"/>.
    /// </summary>
    /// <returns>How many rows were claimed.</returns>
    public Task<int> ClaimAsync(CadenceDb db, FormattableString due, Guid claim, DateTime claimedAt, int batchSize, CancellationToken cancellationToken)
    {
        // The due condition's own placeholders come first ({0}...), so this statement's values follow them.
        var arguments = due.GetArguments().Append(claim).Append(claimedAt).Append(batchSize).ToArray();
        var n = due.ArgumentCount;
        var rows = Alias is null ? "" : Alias + ".";
        var from = Alias is null ? $"\"{Table}\"" : $"\"{Table}\" {Alias} {Join}";
        var skipLocked = !db.IsPostgres ? "" : Alias is null ? " FOR UPDATE SKIP LOCKED" : $" FOR UPDATE OF {Alias} SKIP LOCKED";
        var sql = $"UPDATE \"{Table}\" SET \"ClaimToken\" = {{{n}}}, \"{ClaimedColumn}\" = {{{n + 1}}} WHERE \"Id\" IN " +
            $"(SELECT {rows}\"Id\" FROM {from} WHERE {due.Format} ORDER BY {OrderBy} LIMIT {{{n + 2}}}{skipLocked})";
        return db.Database.ExecuteSqlAsync(FormattableStringFactory.Create(sql, arguments), cancellationToken);
    }
}
