using System.Security.Cryptography;
using Cadence.Contacts;
using Cadence.Data;
using Cadence.Inbox;
using Cadence.Messages;
using Cadence.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cadence.Console.Inbox;

/// <summary>
/// A reply from the inbox, through the same <see cref="MessageSender.SendOneAsync"/> as CreateAndSend: opted-out
/// contacts refused, merge fields checked, the outbox's throttle; quiet hours are for bulk sends only. The form
/// carries a key made when it was shown, kept like an Idempotency-Key (per user), so a form sent twice texts
/// once. The daily cap is counted per user, as the API counts it per credential.
/// </summary>
public sealed class ConversationReply(CadenceDb db, MessageSender sender, TimeProvider time, IOptions<MessagesOptions> options, ConversationSignals signals)
{
    readonly MessagesOptions settings = options.Value;

    /// <summary>A student who texted within this long may get a reply of up to 1,500 characters.</summary>
    public static readonly TimeSpan LongReplyWindow = TimeSpan.FromHours(72);

    /// <summary>306, or 1,500 when the contact texted the team in the last 72 hours.</summary>
    public async Task<int> MaxLengthAsync(Team team, Contact contact, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow().UtcDateTime - LongReplyWindow;
        return await db.Messages.AnyAsync(m => m.TeamId == team.Id && m.ContactId == contact.Id && m.Direction == "inbound" && m.CreatedAt >= since, cancellationToken)
            ? MessageText.MaxReplyLength
            : MessageText.MaxLength;
    }

    /// <summary>Queues the reply; null when this form's key was used already (the first send stands).</summary>
    public async Task<Message?> SendAsync(ConsoleUser me, Team team, Contact contact, string? text, string? formKey, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(formKey, out var key))
        {
            throw new CadenceException("The reply form has expired: reload the page and send it again.");
        }
        var hidden = await InboxQuery.HiddenFieldsAsync(db, me, team.Id, cancellationToken);
        if (MessageText.MergeFieldNames(text ?? "").FirstOrDefault(hidden.Contains) is { } name)
        {
            throw new CadenceException($"{{{name}}} is hidden from staff: only the admins of {team.DepartmentCode} may use it in a text.");
        }
        var maxLength = await MaxLengthAsync(team, contact, cancellationToken);
        var recordKey = "inbox:" + key.ToString("N");
        var hash = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{team.Id}:{contact.Id}:{text}")));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.IsPostgres)
        {
            // Per user: two replies side by side must not both see room under the cap.
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({DailyCap.LockKey(me.Id)})", cancellationToken);
        }
        if (await db.IdempotencyRecords.AnyAsync(r => r.CredentialId == me.Id && r.Key == recordKey, cancellationToken))
        {
            return null;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var today = await db.Messages.CountAsync(m => m.StaffId == me.StaffId && m.CredentialId == null && m.CreatedAt >= now.Date, cancellationToken);
        if (today >= settings.DailyMessageCap)
        {
            throw new CadenceException($"You may send {settings.DailyMessageCap:N0} texts a day (UTC) from the console, and have sent them today.",
                StatusCodes.Status429TooManyRequests, "daily_cap_reached");
        }
        var message = await sender.SendOneAsync(team, new Recipient(null, contact.UniqueCampusId), text, me.StaffId, null, null, cancellationToken, maxLength);
        db.IdempotencyRecords.Add(new IdempotencyRecord
        {
            CredentialId = me.Id, Key = recordKey, RequestHash = hash, StatusCode = 200, ResponseBody = $"{{\"id\":{message.Id}}}", CreatedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signals.Raise(team.Id);
        return message;
    }
}
