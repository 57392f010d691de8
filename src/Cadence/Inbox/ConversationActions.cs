using Cadence.Audit;
using Cadence.Contacts;
using Cadence.Data;
using Cadence.Messages;
using Cadence.Teams;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Inbox;

/// <summary>What staff do to a conversation besides replying: record a spoken or emailed opt-out, link a number to a contact.</summary>
public sealed class ConversationActions(CadenceDb db, TimeProvider time, ConversationSignals signals)
{
    public const string ConsoleSource = "console";

    /// <summary>The student asked in person or by email: opted out (source console), audited. Only the student's START undoes it, or an import/API change.</summary>
    public async Task OptOutAsync(Team team, Guid contactId, Actor actor, CancellationToken cancellationToken)
    {
        // Serialised with the team's imports, as a STOP is, so that an import running now cannot write back an opt-in.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ContactBulkWriter.LockTeamAsync(db, team.Id, cancellationToken);
        var contact = await db.Contacts.SingleOrDefaultAsync(c => c.Id == contactId && c.TeamId == team.Id, cancellationToken)
            ?? throw new CadenceException($"Team {team.DepartmentCode} has no such contact.", StatusCodes.Status404NotFound);
        if (contact.OptedOut)
        {
            throw new CadenceException($"{contact.FirstName} {contact.LastName} has opted out already.", StatusCodes.Status409Conflict);
        }
        var now = time.GetUtcNow().UtcDateTime;
        db.OptOutChanges.Add(new OptOutChange
        {
            OrganizationId = contact.OrganizationId, TeamId = team.Id, ContactId = contact.Id, OldValue = false, NewValue = true, Source = ConsoleSource, At = now,
        });
        contact.OptedOut = true;
        contact.UpdatedAt = now;
        db.Record(team.OrganizationId, actor, "contact.opted_out", $"{team.DepartmentCode}/{contact.UniqueCampusId}", now, "recorded in the inbox");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signals.Raise(team.Id);
    }

    /// <summary>
    /// Files a number's texts (those of no contact, in this team or in none) under a contact of the team, audited.
    /// The contact keeps its own number: a later text from this number opens an unknown conversation again
    /// unless the contact's number is changed to it.
    /// </summary>
    public async Task<Contact> LinkAsync(Team team, Guid? fromTeam, string mobileNumber, string? campusId, Actor actor, CancellationToken cancellationToken)
    {
        var id = campusId?.Trim() ?? "";
        var contact = id.Length == 0 ? null : await db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.TeamId == team.Id && c.UniqueCampusId == id, cancellationToken);
        if (contact is null)
        {
            throw new CadenceException(id.Length == 0 ? "Give the campus id of the contact to link this number to." : $"Team {team.DepartmentCode} has no contact '{TextCut.Cut(id, 40)}'.");
        }
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var moved = await db.Messages.Where(m => m.OrganizationId == team.OrganizationId && m.ContactId == null && m.MobileNumber == mobileNumber
                && (fromTeam == null ? m.TeamId == null : m.TeamId == fromTeam))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.TeamId, team.Id).SetProperty(m => m.ContactId, contact.Id), cancellationToken);
        // The number's conversation is the contact's now: the contact's row is made again from all its texts (a text
        // the move took that arrived meanwhile too), and the number's row goes.
        await ConversationActivity.RecordContactAsync(db, now, team.Id, contact.Id, cancellationToken);
        var from = fromTeam ?? ConversationState.NoTeam;
        await db.ConversationStates.Where(s => s.TeamId == from && s.ContactId == Guid.Empty && s.MobileNumber == mobileNumber).ExecuteDeleteAsync(cancellationToken);
        // A text from the number that committed while this ran was not moved: it keeps (or makes again) the number's row.
        await ConversationActivity.RecordNumberAsync(db, now, team.OrganizationId, fromTeam, mobileNumber, cancellationToken);
        db.Record(team.OrganizationId, actor, "conversation.linked", $"{team.DepartmentCode}/{contact.UniqueCampusId}", now, $"{moved} texts from {mobileNumber}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signals.Raise(team.Id);
        signals.Raise(fromTeam);
        return contact;
    }
}
