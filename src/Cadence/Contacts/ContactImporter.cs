using System.Runtime.CompilerServices;
using Cadence.Audit;
using Cadence.Data;
using Cadence.Events;
using Cadence.Metrics;
using Cadence.Teams;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Contacts;

/// <summary>
/// The import rules of PRODUCT.md §4, shared by the JSON and CSV imports and the single-contact call:
/// upsert by unique campus id, each row validated on its own, good rows written together in one
/// transaction with the batch's report, or not at all.
/// </summary>
/// <remarks>
/// The methods called once per row (readers, plan, writers) carry <c>[MethodImpl(AggressiveOptimization)]</c>: on a
/// fresh server they otherwise ran unoptimised (tier 0) for most of a 100,000-row import, because the runtime delays
/// tier 1 while new methods keep being compiled (measured in session 7: first import CPU 3.2–3.9 s → 2.5–2.8 s for CSV,
/// 5.2–5.8 s → 3.3–4.0 s for JSON, with two smaller changes). What they call in CoreLib and the libraries is readied
/// by <see cref="ImportWarmUp"/>.
/// </remarks>
public sealed class ContactImporter(CadenceDb db, TimeProvider time, IContactChanges changes, ContactStatistics statistics)
{
    public sealed record Options(string Source, Actor Actor);

    /// <summary>Rows looked up together: each chunk costs one query on PostgreSQL (a round trip), and holds its rows until planned.</summary>
    public const int LookupChunkRows = 4096;

    /// <summary>A chunk ends sooner when its rows hold this many characters, so its memory is bounded whatever the rows carry.</summary>
    internal const int LookupChunkChars = 2 * 1024 * 1024;

    /// <summary>
    /// An import's plan with what it checks rows against, read in the caller's transaction: the team's custom fields, its
    /// organization's staff ids, the team's opted-out numbers, and whether the team has contacts to look up.
    /// </summary>
    internal async Task<ImportPlan> PlanAsync(Team team, string source, CancellationToken cancellationToken)
    {
        // Grouped: two definitions differing only in case (a race between two requests) must not break imports.
        var fields = (await db.CustomFields.AsNoTracking().Where(f => f.TeamId == team.Id).OrderBy(f => f.CreatedAt).ToListAsync(cancellationToken))
            .GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var staffIds = (await db.Users.AsNoTracking().Where(u => u.OrganizationId == team.OrganizationId).Select(u => u.StaffId).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        // A team with contacts has its numbers' opt-outs read a chunk at a time, with the contacts (see ImportAsync).
        var looksUp = await ContactBulkWriter.TeamHasContactsAsync(db, team.Id, cancellationToken);
        return new ImportPlan(team, fields, staffIds, time.GetUtcNow().UtcDateTime, source)
        {
            OptedOutNumbers = looksUp ? new Dictionary<string, bool>() : await NumberOptOut.ForTeamAsync(db, team.OrganizationId, team.Id, cancellationToken),
            LooksUp = looksUp,
        };
    }

    /// <summary>
    /// Reads the source row by row inside the transaction. Rows wait in a chunk while the stored contacts they name are
    /// looked up together, then each good row is written as it is planned: the import never reads the whole team.
    /// A source that rewinds after its last row (<see cref="ContactSourceRewound"/>) is imported again, in a new transaction.
    /// </summary>
    public async Task<ImportBatch> ImportAsync(Team team, IContactSource source, Options options, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            try
            {
                return await ImportOnceAsync(team, source, options, cancellationToken);
            }
            catch (ContactSourceRewound)
            {
                // The transaction rolled back; what the context holds belonged to it.
                db.ChangeTracker.Clear();
            }
        }
    }

    async Task<ImportBatch> ImportOnceAsync(Team team, IContactSource source, Options options, CancellationToken cancellationToken)
    {
        // No retrying execution strategy: a source cannot be replayed at any point (none is configured either).
        // On SQLite this takes the write lock at once; on PostgreSQL an advisory lock serialises imports per team.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ContactBulkWriter.LockTeamAsync(db, team.Id, cancellationToken);
        var plan = await PlanAsync(team, options.Source, cancellationToken);
        await using (var writer = await ContactBulkWriter.StartAsync(db, plan, cancellationToken))
        {
            await WriteRowsAsync(plan, source, writer, cancellationToken);
        }
        if (plan.ForgottenNumbers.Count > 0)
        {
            await ForgetNumbersAsync(team, plan.ForgottenNumbers, cancellationToken);
        }
        var batch = AddBatch(plan, source, options);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        statistics.Written(batch.Created + batch.Updated);
        if (plan.OptOutChanges.Count > 0)
        {
            changes.OptOutsChanged(team.Id);
        }
        CadenceMetrics.Import(batch.Created, batch.Updated, batch.Unchanged, batch.Failed);
        return batch;
    }

    /// <summary>Plans and writes every row of the source: at once when the team had no contacts, else a chunk at a time.</summary>
    async Task WriteRowsAsync(ImportPlan plan, IContactSource source, ContactBulkWriter.ContactWriter writer, CancellationToken cancellationToken)
    {
        var chunk = new ImportChunk();
        while (source.Next() is { } row)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!plan.LooksUp)
            {
                await WriteAsync(plan, writer, row, cancellationToken);
            }
            else if (chunk.Add(plan, row))
            {
                await WriteChunkAsync(plan, writer, chunk, cancellationToken);
            }
        }
        await WriteChunkAsync(plan, writer, chunk, cancellationToken);
        await writer.CompleteAsync(cancellationToken);
    }

    /// <summary>Looks up the stored contacts a chunk's rows name and their numbers' opt-outs, then plans and writes its rows.</summary>
    async Task WriteChunkAsync(ImportPlan plan, ContactBulkWriter.ContactWriter writer, ImportChunk chunk, CancellationToken cancellationToken)
    {
        if (chunk.Rows.Count == 0)
        {
            return;
        }
        plan.Stored.Clear();
        await writer.FindAsync(chunk.Ids, chunk.Numbers, plan.Stored, cancellationToken);
        // The opt-outs of the chunk's numbers and of its stored contacts' numbers, read right after the contacts: on
        // PostgreSQL a STOP or START may commit while an import runs, and the plan must weigh a contact's status and
        // its number's opt-out as of one moment (both were read at the start when the import read the whole team).
        var optOutNumbers = new HashSet<string>(chunk.Numbers, StringComparer.Ordinal);
        optOutNumbers.UnionWith(plan.Stored.OwnerByNumber.Keys);
        plan.OptedOutNumbers = await NumberOptOut.ForTeamAsync(db, plan.Team.OrganizationId, plan.Team.Id, cancellationToken, optOutNumbers);
        foreach (var row in chunk.Rows)
        {
            await WriteAsync(plan, writer, row, cancellationToken);
        }
        chunk.Clear();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see above
    static async ValueTask WriteAsync(ImportPlan plan, ContactBulkWriter.ContactWriter writer, ContactInput row, CancellationToken cancellationToken)
    {
        if (plan.Add(row) is { } write)
        {
            await writer.WriteAsync(write, cancellationToken);
        }
    }

    /// <summary>Forgets the remembered opt-outs (not the students' own) that this import's rows opted back in.</summary>
    Task ForgetNumbersAsync(Team team, List<string> numbers, CancellationToken cancellationToken) =>
        db.NumberOptOuts.Where(o => o.OrganizationId == team.OrganizationId && o.TeamId == team.Id && o.Source != NumberOptOut.Keyword
            && numbers.Contains(o.MobileNumber)).ExecuteDeleteAsync(cancellationToken);

    /// <summary>The batch's report, and its import.completed event, added to the context to be saved with the import.</summary>
    ImportBatch AddBatch(ImportPlan plan, IContactSource source, Options options)
    {
        var team = plan.Team;
        var batch = new ImportBatch
        {
            OrganizationId = team.OrganizationId,
            TeamId = team.Id,
            NotificationEmail = source.NotificationEmail,
            Format = source.Format,
            Total = plan.Total,
            Created = plan.Created,
            Updated = plan.Updated,
            Unchanged = plan.Unchanged,
            Failed = plan.FailedRows,
            Errors = plan.Errors.Serialize(),
            CreatedAt = plan.Now,
            CreatedBy = options.Actor.Name,
        };
        db.ImportBatches.Add(batch);
        if (options.Source != OptOutEvents.Api)
        {
            // The single-contact call is an import of one row too, but no campus system waits for its report.
            db.Append(team.OrganizationId, team.Id, team.DepartmentCode, Events.EventTypes.ImportCompleted, plan.Now, null,
                new Events.ImportCompletedData(batch.Id, batch.Format, batch.Total, batch.Created, batch.Updated, batch.Unchanged, batch.Failed));
        }
        return batch;
    }
}
