using Cadence.Contacts;
using Cadence.Data;
using Cadence.Metrics;
using Cadence.Teams;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Messages;

/// <summary>A contact's texts and conversations as Contacts changes the contact (it calls this through <see cref="IContactChanges"/>).</summary>
public sealed class ContactTexts(ConversationSignals signals) : IContactChanges
{
    /// <summary>
    /// A deleted contact's queued texts end failed (<see cref="ContactDeletion.Reason"/>), with their status events; once
    /// the deletion committed, the team's open inbox pages hear that the conversation's contact is gone.
    /// </summary>
    public async Task<Action?> DeletingAsync(CadenceDb db, Team team, Contact contact, DateTime now, CancellationToken cancellationToken)
    {
        // The worker moves a text to "sending" only while it is still queued, so none of these goes out.
        var queued = await db.Messages.Where(m => m.ContactId == contact.Id && m.TeamId == team.Id && m.Status == MessageStatus.Queued && m.Direction == "outbound")
            .Select(m => m.Id).ToListAsync(cancellationToken);
        if (queued.Count == 0)
        {
            return () => signals.Raise(team.Id);
        }
        await db.Messages.Where(m => queued.Contains(m.Id) && m.Status == MessageStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MessageStatus.Failed).SetProperty(m => m.StatusReason, ContactDeletion.Reason)
                .SetProperty(m => m.ClaimToken, (Guid?)null).SetProperty(m => m.UpdatedAt, now), cancellationToken);
        // Read back (a worker may have taken one meanwhile): the contact is still there for the event's names.
        var failed = await MessageEvents.AppendForAsync(db, db.Messages.Where(m => queued.Contains(m.Id) && m.Status == MessageStatus.Failed
            && m.StatusReason == ContactDeletion.Reason && m.UpdatedAt == now), now, cancellationToken);
        // Counted once they are failed for good. The signal is the one an opt-out raises (the list and every open
        // conversation of the team read themselves again), so it covers the failed texts' statuses too.
        return () =>
        {
            CadenceMetrics.Text(MessageStatus.Failed, failed.Count);
            signals.Raise(team.Id);
        };
    }

    public void OptOutsChanged(Guid teamId) => signals.Raise(teamId);
}
