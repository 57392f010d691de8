using Cadence.Audit;
using Cadence.Data;
using Cadence.Messages;
using Cadence.Teams;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Contacts;

/// <summary>
/// Deleting a contact (the hosted DELETE call): its messages stay in the history, its queued texts end failed
/// ("contact deleted"), and an opt-out stays with the number (NumberOptOut), all in one transaction, audited.
/// </summary>
public static class ContactDeletion
{
    public const string Reason = "contact deleted";

    /// <summary>False when the team has no such contact.</summary>
    public static async Task<bool> DeleteAsync(CadenceDb db, Team team, System.Linq.Expressions.Expression<Func<Contact, bool>> which, Actor actor, DateTime now,
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
        // The worker moves a text to "sending" only while it is still queued, so none of these goes out.
        List<Message> failed = [];
        var queued = await db.Messages.Where(m => m.ContactId == contact.Id && m.TeamId == team.Id && m.Status == MessageStatus.Queued && m.Direction == "outbound")
            .Select(m => m.Id).ToListAsync(cancellationToken);
        if (queued.Count > 0)
        {
            await db.Messages.Where(m => queued.Contains(m.Id) && m.Status == MessageStatus.Queued)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MessageStatus.Failed).SetProperty(m => m.StatusReason, Reason)
                    .SetProperty(m => m.ClaimToken, (Guid?)null).SetProperty(m => m.UpdatedAt, now), cancellationToken);
            // Read back (a worker may have taken one meanwhile): the contact is still there for the event's names.
            failed = await MessageEvents.AppendForAsync(db, db.Messages.Where(m => queued.Contains(m.Id) && m.Status == MessageStatus.Failed
                && m.StatusReason == Reason && m.UpdatedAt == now), now, cancellationToken);
        }
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
        Metrics.CadenceMetrics.Text(MessageStatus.Failed, failed.Count);
        return true;
    }
}
