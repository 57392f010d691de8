using Cadence.Contacts;
using Cadence.Data;
using Cadence.Events;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Messages;

/// <summary>
/// The outbox's checks at sending time, as conditional writes on the texts a worker claimed: a chunk's guards (STOP,
/// a deleted or opted-out contact) with its mark as "sending", and quiet hours for a claimed batch.
/// </summary>
static class OutboxGuards
{
    /// <summary>
    /// The chunk's guards and its mark as "sending", in one transaction: the texts now "sending" (tracked), and those
    /// the guards failed.
    /// </summary>
    public static async Task<(List<Message> Sending, List<Message> Refused)> MarkSendingAsync(CadenceDb db, Guid claim, long[] ids, DateTime now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Messages.Where(m => ids.Contains(m.Id) && m.ClaimToken == claim && m.Status == MessageStatus.Queued && !m.IgnoresOptOut
                && db.NumberOptOuts.Any(o => o.OrganizationId == m.OrganizationId && o.MobileNumber == m.MobileNumber
                    && o.Source == NumberOptOut.Keyword && (o.TeamId == m.TeamId || o.TeamId == NumberOptOut.EveryTeam)))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MessageStatus.Failed)
                .SetProperty(m => m.StatusReason, "the student texted STOP before it was sent").SetProperty(m => m.UpdatedAt, now), cancellationToken);
        await db.Messages.Where(m => ids.Contains(m.Id) && m.ClaimToken == claim && m.Status == MessageStatus.Queued && !m.IgnoresOptOut
                && !db.Contacts.Any(c => c.Id == m.ContactId))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MessageStatus.Failed)
                .SetProperty(m => m.StatusReason, ContactDeletion.Reason).SetProperty(m => m.UpdatedAt, now), cancellationToken);
        await db.Messages.Where(m => ids.Contains(m.Id) && m.ClaimToken == claim && m.Status == MessageStatus.Queued
                && (m.IgnoresOptOut || !db.Contacts.Any(c => c.Id == m.ContactId && c.OptedOut)))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MessageStatus.Sending).SetProperty(m => m.SendingAt, now).SetProperty(m => m.UpdatedAt, now),
                cancellationToken);
        // From here on not the stopping token: texts now marked "sending" must be seen through or put back.
        var sending = await db.Messages.Where(m => ids.Contains(m.Id) && m.ClaimToken == claim && m.Status == MessageStatus.Sending)
            .OrderBy(m => m.Id).ToListAsync(CancellationToken.None);
        List<Message> refused = [];
        if (sending.Count < ids.Length)
        {
            await db.Messages.Where(m => ids.Contains(m.Id) && m.ClaimToken == claim && m.Status == MessageStatus.Queued && !m.IgnoresOptOut
                    && db.Contacts.Any(c => c.Id == m.ContactId && c.OptedOut))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MessageStatus.Failed)
                    .SetProperty(m => m.StatusReason, "the contact opted out before it was sent").SetProperty(m => m.UpdatedAt, now), CancellationToken.None);
            // Every text of the chunk was queued under this claim, so the failed ones are those the guards just failed.
            refused = await MessageEvents.AppendForAsync(db, db.Messages.Where(m => ids.Contains(m.Id) && m.ClaimToken == claim && m.Status == MessageStatus.Failed),
                now, CancellationToken.None);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        await transaction.CommitAsync(CancellationToken.None);
        return (sending, refused);
    }

    /// <summary>
    /// Checked again at sending time: bulk texts held up past 22:00 (a stopped server, a long queue) go back to
    /// wait for the morning in their team's time zone.
    /// </summary>
    public static async Task HoldForQuietHoursAsync(CadenceDb db, Guid claim, DateTime now, CancellationToken cancellationToken)
    {
        var zones = await db.Messages.AsNoTracking().Where(m => m.ClaimToken == claim && m.Bulk)
            .Select(m => db.Teams.Where(t => t.Id == m.TeamId).Select(t => new { t.Id, t.TimeZone }).First())
            .Distinct().ToListAsync(cancellationToken);
        foreach (var team in zones)
        {
            if (QuietHours.NextAllowed(now, team.TimeZone) is var allowed && allowed > now)
            {
                await db.Messages.Where(m => m.ClaimToken == claim && m.Bulk && m.TeamId == team.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.NotBefore, allowed).SetProperty(m => m.ClaimToken, (Guid?)null).SetProperty(m => m.UpdatedAt, now), cancellationToken);
            }
        }
    }
}
