using Cadence.Contacts;
using Cadence.Data;
using Cadence.Metrics;
using Cadence.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cadence.Messages;

public sealed record Recipient(
    [property: System.Text.Json.Serialization.JsonConverter(typeof(StringOrNumberConverter))] string? MobileNumber,
    [property: System.Text.Json.Serialization.JsonConverter(typeof(StringOrNumberConverter))] string? UniqueCampusId);

public sealed record SkippedRecipient(string Recipient, string Reason);

public sealed record BulkResult(int Queued, int Duplicates, IReadOnlyList<SkippedRecipient> NotFound,
    IReadOnlyList<SkippedRecipient> SkippedOptedOut, IReadOnlyList<SkippedRecipient> SkippedMissingValue, DateTime SendsFrom);

/// <summary>
/// Puts texts into the outbox: the message rows are written in the caller's transaction, and the delivery
/// worker sends them. Opted-out contacts are never texted.
/// </summary>
public sealed class MessageSender(CadenceDb db, TimeProvider time, IOptions<MessagesOptions> options)
{
    readonly DailyCap dailyCap = new(db, time, options.Value.DailyMessageCap);

    public const int MaxRecipients = 100_000;

    /// <param name="maxLength">306, or 1,500 for a reply in a conversation (<see cref="MessageText.MaxReplyLength"/>).</param>
    public async Task<Message> SendOneAsync(Team team, Recipient recipient, string? text, string? staffId, string? groupAccountCode, Guid? credentialId,
        CancellationToken cancellationToken, int maxLength = MessageText.MaxLength)
    {
        MessageText.Validate(text, maxLength);
        var fields = await db.CustomFields.AsNoTracking().Where(f => f.TeamId == team.Id).ToListAsync(cancellationToken);
        MessageText.CheckMergeFields(text!, fields);
        await dailyCap.CheckAsync(credentialId, 1, cancellationToken);
        var contact = await FindAsync(team, recipient, cancellationToken)
            ?? throw new CadenceException($"Team {team.DepartmentCode} has no contact {Describe(recipient)}.", StatusCodes.Status404NotFound);
        if (contact.OptedOut)
        {
            throw new CadenceException($"Contact {contact.UniqueCampusId} has opted out of texts from team {team.DepartmentCode}; Cadence will not text them.",
                StatusCodes.Status409Conflict);
        }
        var merged = MessageText.Merge(text!, contact, maxLength);
        if (merged.Text is null)
        {
            throw new CadenceException($"Contact {contact.UniqueCampusId}: {merged.Problem}, so the text was not sent.", StatusCodes.Status422UnprocessableEntity, merged.Code);
        }
        var message = Outgoing(team, contact, merged.Text, credentialId, Clean(staffId), Clean(groupAccountCode));
        message.MergedFields = merged.MergedFields;
        await using (var owned = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null)
        {
            db.Messages.Add(message);
            await db.SaveChangesAsync(cancellationToken);
            await ConversationActivity.RecordAsync(db, message.CreatedAt, message.Id, null, cancellationToken);
            if (owned is not null)
            {
                await owned.CommitAsync(cancellationToken);
            }
        }
        CadenceMetrics.Text(MessageStatus.Queued);
        return message;
    }

    public async Task<BulkResult> SendBulkAsync(Team team, string? text, IReadOnlyList<Recipient> recipients, DateTime? scheduledFor, Guid? credentialId,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var sendsFrom = CheckBulk(team, text, recipients, scheduledFor, now);
        var fields = await db.CustomFields.AsNoTracking().Where(f => f.TeamId == team.Id).ToListAsync(cancellationToken);
        MessageText.CheckMergeFields(text!, fields);
        if (recipients.Any(r => r is null))
        {
            throw new CadenceException("Each recipient is an object: {\"mobileNumber\": …} or {\"uniqueCampusId\": …}.");
        }
        // The whole team at once: one read, then each recipient is found in memory (up to 100,000 of them).
        var contacts = await db.Contacts.AsNoTracking().Where(c => c.TeamId == team.Id).ToListAsync(cancellationToken);
        var (messages, result) = Sort(team, text!, recipients, contacts, credentialId, sendsFrom > now ? sendsFrom : null, sendsFrom);
        await dailyCap.CheckAsync(credentialId, messages.Count, cancellationToken);
        await MessageBulkWriter.WriteAsync(db, messages, cancellationToken);
        CadenceMetrics.Text(MessageStatus.Queued, messages.Count);
        return result;
    }

    /// <summary>The bulk send's own limits; returns when its texts may go (the schedule, moved out of the team's quiet hours).</summary>
    static DateTime CheckBulk(Team team, string? text, IReadOnlyList<Recipient> recipients, DateTime? scheduledFor, DateTime now)
    {
        MessageText.Validate(text);
        var requested = scheduledFor?.ToUniversalTime() ?? now;
        if (requested > now.AddDays(30))
        {
            throw new CadenceException("scheduledFor is at most 30 days ahead.");
        }
        var sendsFrom = QuietHours.NextAllowed(requested < now ? now : requested, team.TimeZone);
        if (recipients.Count is 0 or > MaxRecipients)
        {
            throw new CadenceException($"A bulk send has 1 to {MaxRecipients:N0} recipients.",
                recipients.Count == 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status413PayloadTooLarge);
        }
        return sendsFrom;
    }

    /// <summary>
    /// Each recipient becomes one text or one skipped entry with its reason: not found, listed again (each contact is
    /// texted once, however often listed), opted out, or a merge field the contact has no value for.
    /// </summary>
    (List<Message> Messages, BulkResult Result) Sort(Team team, string text, IReadOnlyList<Recipient> recipients, List<Contact> contacts, Guid? credentialId,
        DateTime? notBefore, DateTime sendsFrom)
    {
        var byMobile = contacts.ToDictionary(c => c.MobileNumber);
        var byId = contacts.ToDictionary(c => c.UniqueCampusId);
        var texted = new HashSet<Guid>();
        var duplicates = 0;
        List<SkippedRecipient> notFound = [], optedOut = [], missingValue = [];
        var messages = new List<Message>();
        foreach (var recipient in recipients)
        {
            Contact? contact = null;
            if (recipient.UniqueCampusId is { } id)
            {
                byId.TryGetValue(id.Trim(), out contact);
            }
            else if (PhoneNumber.TryNormalize(recipient.MobileNumber, out var mobile))
            {
                byMobile.TryGetValue(mobile, out contact);
            }
            if (contact is null)
            {
                notFound.Add(new(Describe(recipient), "no such contact in this team"));
            }
            else if (!texted.Add(contact.Id))
            {
                duplicates++;
            }
            else if (contact.OptedOut)
            {
                optedOut.Add(new(contact.UniqueCampusId, "opted out"));
            }
            else if (MessageText.Merge(text, contact) is { Text: { } merged } result)
            {
                var message = Outgoing(team, contact, merged, credentialId, null, null);
                message.MergedFields = result.MergedFields;
                message.Bulk = true;
                message.NotBefore = notBefore;
                messages.Add(message);
            }
            else
            {
                // Listed with the missing values (as a text too long for one contact is): the contact's own data stops it.
                missingValue.Add(new(contact.UniqueCampusId, MessageText.Merge(text, contact).Problem!));
            }
        }
        return (messages, new BulkResult(messages.Count, duplicates, notFound, optedOut, missingValue, sendsFrom));
    }

    /// <summary>A text that goes out even to an opted-out contact: only the one confirmation of their opt-out.</summary>
    public Message Confirmation(Team team, Contact contact, string text)
    {
        var message = Outgoing(team, contact, text, null, null, null);
        message.IgnoresOptOut = true;
        message.MergedFields = "";
        return message;
    }

    Message Outgoing(Team team, Contact contact, string text, Guid? credentialId, string? staffId, string? groupAccountCode)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new Message
        {
            OrganizationId = team.OrganizationId, TeamId = team.Id, ContactId = contact.Id, Direction = "outbound",
            MobileNumber = contact.MobileNumber, Body = text, Segments = MessageText.Segments(text), Status = MessageStatus.Queued,
            CredentialId = credentialId, StaffId = staffId, GroupAccountCode = groupAccountCode, CreatedAt = now, UpdatedAt = now,
        };
    }

    Task<Contact?> FindAsync(Team team, Recipient recipient, CancellationToken cancellationToken)
    {
        if (recipient.UniqueCampusId is { } id)
        {
            var campusId = id.Trim();
            return db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.TeamId == team.Id && c.UniqueCampusId == campusId, cancellationToken);
        }
        if (!PhoneNumber.TryNormalize(recipient.MobileNumber, out var mobile))
        {
            throw new CadenceException(recipient.MobileNumber is null
                ? "Give mobileNumber or uniqueCampusId."
                : $"'{TextCut.Echo(recipient.MobileNumber)}' is not a mobile number: {PhoneNumber.Rule}.");
        }
        return db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.TeamId == team.Id && c.MobileNumber == mobile, cancellationToken);
    }

    static string Describe(Recipient recipient) => TextCut.Echo(recipient.UniqueCampusId ?? recipient.MobileNumber) ?? "(none)";

    static string? Clean(string? text)
    {
        var trimmed = text?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : TextCut.Prefix(trimmed, 64);
    }
}
