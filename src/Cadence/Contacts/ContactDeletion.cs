using Cadence.Audit;
using Cadence.Data;
using Cadence.Teams;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Contacts;

/// <summary>
/// Deleting a contact (the hosted DELETE call): its messages stay in the history, its queued texts end failed
/// ("contact deleted": Messages does it, told through <see cref="IContactChanges"/>), and an opt-out stays with the
/// number (NumberOptOut), all in one transaction, audited.
/// </summary>
public static class ContactDeletion
{
    public const string Reason = "contact deleted";

    /// <summary>False when the team has no such contact.</summary>
    public static async Task<bool> DeleteAsync(CadenceDb db, IContactChanges changes, Team team, System.Linq.Expressions.Expression<Func<Contact, bool>> which, Actor actor, DateTime now,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Serialised with the team's imports and inbound STOPs (PostgreSQL; SQLite's write lock does it already).
        await ContactBulkWriter.LockTeamAsync(db, team.Id, cancellationToken);
        var contact = await db.Contacts.Where(c => c.TeamId == team.Id && c.OrganizationId == team.OrganizationId).Where(which).SingleOrDefaultAsync(cancellationToken);
        if (contact is null)
        {
            return false;
        }
        var afterCommit = await changes.DeletingAsync(db, team, contact, now, cancellationToken);
        if (contact.OptedOut)
        {
            var source = await db.OptOutChanges.Where(o => o.ContactId == contact.Id && o.NewValue)
                .OrderByDescending(o => o.Id).Select(o => o.Source).FirstOrDefaultAsync(cancellationToken) ?? "import";
            await NumberOptOut.RememberAsync(db, team.OrganizationId, team.Id, contact.MobileNumber, source, now, cancellationToken);
        }
        // A delete racing this one (a retried call) has removed it already: then it is that call's 204 and this one's 404.
        if (await db.Contacts.Where(c => c.Id == contact.Id).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return false;
        }
        db.Record(team.OrganizationId, actor, "contact.deleted", $"{team.DepartmentCode}/{contact.UniqueCampusId}", now,
            $"{contact.MobileNumber}{(contact.OptedOut ? ", opted out (kept with the number)" : "")}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        afterCommit?.Invoke();
        return true;
    }
}
