using Cadence.Contacts;
using Cadence.Data;
using Cadence.Events;
using Cadence.Metrics;
using Cadence.Teams;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Messages;

/// <summary>
/// A text from a phone. Exactly STOP, STOPALL, UNSUBSCRIBE, CANCEL, END or QUIT (any case, spaces around)
/// opts the contact out of the team and queues one confirmation; START, UNSTOP or YES opts back in.
/// Anything else, "Please stop texting me" included, is an ordinary message.
/// </summary>
public sealed class InboundMessages(CadenceDb db, MessageSender sender, TimeProvider time, ConversationSignals signals)
{
    static readonly HashSet<string> StopWords = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"];
    static readonly HashSet<string> StartWords = ["START", "UNSTOP", "YES"];

    /// <param name="strangerStopCap">
    /// For simulated texts: how many every-team STOPs (from numbers that are no contact) the organization may hold
    /// before a STOP from yet another such number is refused. Null for a real carrier's texts, which are never refused.
    /// </param>
    public async Task<Message> ReceiveAsync(Guid organizationId, string? from, string? body, string? providerMessageId, CancellationToken cancellationToken,
        Func<Guid, bool>? mayUseTeam = null, int? strangerStopCap = null)
    {
        if (!string.IsNullOrEmpty(providerMessageId)
            && await db.Messages.FirstOrDefaultAsync(m => m.ProviderMessageId == providerMessageId && m.Direction == "inbound", cancellationToken) is { } seen)
        {
            return seen; // a webhook delivered twice: the text was received once
        }
        var (mobile, text) = Checked(from, body);
        var teamId = await OwnerAsync(organizationId, mobile, cancellationToken);
        if (teamId is { } id && mayUseTeam is not null && !mayUseTeam(id))
        {
            throw new CadenceException("This credential may not use the team this number belongs to.", StatusCodes.Status403Forbidden, "team_not_granted");
        }
        // Serialised with the team's imports and deletes on PostgreSQL, so that an import running now cannot
        // write back an opt-in over this STOP (SQLite's write lock serialises them already).
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (teamId is { } locked)
        {
            await ContactBulkWriter.LockTeamAsync(db, locked, cancellationToken);
        }
        var team = teamId is null ? null : await db.Teams.SingleAsync(t => t.Id == teamId, cancellationToken);
        var contact = team is null ? null : await db.Contacts.SingleOrDefaultAsync(c => c.TeamId == team.Id && c.MobileNumber == mobile, cancellationToken);

        var now = time.GetUtcNow().UtcDateTime;
        var message = Inbound(organizationId, team, contact, mobile, text, providerMessageId, now);
        db.Messages.Add(message);
        var confirmation = await HeedKeywordAsync(organizationId, team, contact, mobile, text.Trim().ToUpperInvariant(), strangerStopCap, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await ConversationActivity.RecordAsync(db, now, message.Id, confirmation?.Id, cancellationToken);
        // After the first save, which gave the text its id; still inside the transaction, so both or neither commit.
        db.Append(organizationId, team?.Id, team?.DepartmentCode, EventTypes.MessageReceived, now, contact is null ? null : EventContacts.Of(contact),
            new MessageReceivedData(message.Id, mobile, text));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signals.Raise(team?.Id);
        CadenceMetrics.Text(MessageStatus.Received);
        if (confirmation is not null)
        {
            CadenceMetrics.Text(MessageStatus.Queued);
        }
        return message;
    }

    /// <summary>The sender's number, normalized, and the text; a text that is no mobile number's, or empty, or too long, is refused.</summary>
    static (string Mobile, string Text) Checked(string? from, string? body)
    {
        if (!PhoneNumber.TryNormalize(from, out var mobile))
        {
            throw new CadenceException($"'{from}' is not a mobile number: {PhoneNumber.Rule}.");
        }
        if (string.IsNullOrEmpty(body) || body.Length > 1600)
        {
            throw new CadenceException("An inbound text has 1 to 1,600 characters.");
        }
        return (mobile, body);
    }

    /// <summary>A reply belongs to the team that last texted the number, else to a team that has it as a contact; else to none.</summary>
    async Task<Guid?> OwnerAsync(Guid organizationId, string mobile, CancellationToken cancellationToken) =>
        await db.Messages.Where(m => m.OrganizationId == organizationId && m.MobileNumber == mobile && m.Direction == "outbound")
            .OrderByDescending(m => m.Id).Select(m => m.TeamId).FirstOrDefaultAsync(cancellationToken)
        ?? await db.Contacts.Where(c => c.OrganizationId == organizationId && c.MobileNumber == mobile)
            .OrderByDescending(c => c.UpdatedAt).Select(c => (Guid?)c.TeamId).FirstOrDefaultAsync(cancellationToken);

    static Message Inbound(Guid organizationId, Team? team, Contact? contact, string mobile, string body, string? providerMessageId, DateTime now) => new()
    {
        OrganizationId = organizationId, TeamId = team?.Id, ContactId = contact?.Id, Direction = "inbound", MobileNumber = mobile,
        ProviderMessageId = string.IsNullOrEmpty(providerMessageId) ? null : providerMessageId[..Math.Min(64, providerMessageId.Length)],
        Body = body, Segments = MessageText.Segments(body), Status = MessageStatus.Received, CreatedAt = now, UpdatedAt = now,
    };

    /// <summary>
    /// STOP and START: the number's own opt-out record, and the contact's flag with its one confirmation text (queued
    /// here, returned). Any other text changes nothing.
    /// </summary>
    async Task<Message?> HeedKeywordAsync(Guid organizationId, Team? team, Contact? contact, string mobile, string word, int? strangerStopCap, DateTime now,
        CancellationToken cancellationToken)
    {
        var stop = StopWords.Contains(word);
        if (stop && team is null && strangerStopCap is { } cap)
        {
            await CheckStrangerStopsAsync(organizationId, mobile, cap, cancellationToken);
        }
        if (stop)
        {
            // The student's own word belongs to the number: it outlives the contact, and only their START undoes it.
            await NumberOptOut.RememberAsync(db, organizationId, team?.Id ?? NumberOptOut.EveryTeam, mobile, NumberOptOut.Keyword, now, cancellationToken);
        }
        else if (StartWords.Contains(word))
        {
            await NumberOptOut.ForgetAsync(db, organizationId, team?.Id, mobile, cancellationToken);
        }
        if (team is null || contact is null)
        {
            return null;
        }
        // One confirmation when the contact opts out, not one per repeated STOP.
        if (stop && !contact.OptedOut)
        {
            db.ChangeOptOut(contact, team.DepartmentCode, true, OptOutEvents.Keyword, now);
            var confirmation = sender.Confirmation(team, contact,
                $"You are unsubscribed from {team.Name} texts and will get no more. Reply START to resubscribe.");
            db.Messages.Add(confirmation);
            return confirmation;
        }
        if (StartWords.Contains(word) && contact.OptedOut)
        {
            db.ChangeOptOut(contact, team.DepartmentCode, false, OptOutEvents.Keyword, now);
        }
        return null;
    }

    async Task CheckStrangerStopsAsync(Guid organizationId, string mobile, int cap, CancellationToken cancellationToken)
    {
        var strangers = db.NumberOptOuts.Where(o => o.OrganizationId == organizationId && o.TeamId == NumberOptOut.EveryTeam);
        // A number already on record changes nothing; the count reads the key's own prefix. Requests side by side on
        // PostgreSQL may pass it together: the bound is the cap plus those few.
        if (!await strangers.AnyAsync(o => o.MobileNumber == mobile, cancellationToken) && await strangers.CountAsync(cancellationToken) >= cap)
        {
            throw new CadenceException($"The simulator already holds {cap:N0} STOPs from numbers that are no contact; it records no more. " +
                "Reply from a contact's number, or START from one of those numbers to clear it.", StatusCodes.Status409Conflict, "simulator_stop_limit");
        }
    }
}
