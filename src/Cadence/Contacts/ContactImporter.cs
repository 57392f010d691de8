using System.Text.Json;
using Cadence.Audit;
using Cadence.Data;
using Cadence.Teams;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Contacts;

/// <summary>
/// The import rules of PRODUCT.md §4, shared by the JSON and CSV imports and the single-contact call:
/// upsert by unique campus id, each row validated on its own, good rows written together in one
/// transaction with the batch's report, or not at all.
/// </summary>
public sealed class ContactImporter(CadenceDb db, TimeProvider time)
{
    public sealed record Options(string Format, string Source, string? NotificationEmail, Actor Actor);

    public async Task<ImportBatch> ImportAsync(Team team, IReadOnlyList<ContactInput> rows, Options options, CancellationToken cancellationToken = default)
    {
        // Grouped: two definitions differing only in case (a race between two requests) must not break imports.
        var fields = (await db.CustomFields.AsNoTracking().Where(f => f.TeamId == team.Id).OrderBy(f => f.CreatedAt).ToListAsync(cancellationToken))
            .GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var staffIds = (await db.Users.AsNoTracking().Where(u => u.OrganizationId == team.OrganizationId).Select(u => u.StaffId).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            // On SQLite this takes the write lock at once; on PostgreSQL an advisory lock serialises imports per team.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await ContactBulkWriter.LockTeamAsync(db, team.Id, cancellationToken);
            var existing = await db.Contacts.AsNoTracking().Where(c => c.TeamId == team.Id)
                .Select(c => new StoredContact(c.Id, c.UniqueCampusId, c.FirstName, c.LastName, c.MobileNumber, c.OptedOut, c.StaffId, c.CustomFields))
                .ToDictionaryAsync(c => c.UniqueCampusId, StringComparer.Ordinal, cancellationToken);

            var plan = new ImportPlan(team, existing, fields, staffIds, time.GetUtcNow().UtcDateTime, options.Source);
            foreach (var row in rows)
            {
                plan.Add(row);
            }
            await ContactBulkWriter.WriteAsync(db, plan, cancellationToken);

            var batch = new ImportBatch
            {
                OrganizationId = team.OrganizationId,
                TeamId = team.Id,
                NotificationEmail = options.NotificationEmail,
                Format = options.Format,
                Total = rows.Count,
                Created = plan.Inserts.Count,
                Updated = plan.Updates.Count,
                Unchanged = plan.Unchanged,
                Failed = plan.FailedRows,
                Errors = JsonSerializer.Serialize(plan.Errors, JsonSerializerOptions.Web),
                CreatedAt = plan.Now,
                CreatedBy = options.Actor.Name,
            };
            db.ImportBatches.Add(batch);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return batch;
        });
    }
}
