using Cadence.Data;
using Cadence.Events;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Messages;

/// <summary>
/// message.status_changed events for a set of texts: the contacts and team codes they need are read once for the
/// set (one query per outbox chunk), then each change is appended to the unit of work that saves it.
/// </summary>
public sealed class MessageEvents
{
    readonly Dictionary<Guid, EventContact> contacts;
    readonly Dictionary<Guid, string> teams;

    MessageEvents(Dictionary<Guid, EventContact> contacts, Dictionary<Guid, string> teams)
    {
        this.contacts = contacts;
        this.teams = teams;
    }

    public static async Task<MessageEvents> ForAsync(CadenceDb db, IReadOnlyCollection<Message> messages, CancellationToken cancellationToken)
    {
        var contactIds = messages.Where(m => m.ContactId is not null).Select(m => m.ContactId!.Value).Distinct().ToList();
        var teamIds = messages.Where(m => m.TeamId is not null).Select(m => m.TeamId!.Value).Distinct().ToList();
        var contacts = contactIds.Count == 0 ? [] : await db.Contacts.AsNoTracking().Where(c => contactIds.Contains(c.Id))
            .Select(c => new { c.Id, Contact = new EventContact(c.UniqueCampusId, c.FirstName, c.LastName, c.MobileNumber) })
            .ToDictionaryAsync(c => c.Id, c => c.Contact, cancellationToken);
        var teams = teamIds.Count == 0 ? [] : await db.Teams.AsNoTracking().Where(t => teamIds.Contains(t.Id))
            .ToDictionaryAsync(t => t.Id, t => t.DepartmentCode, cancellationToken);
        return new MessageEvents(contacts, teams);
    }

    /// <summary>Appends the event of a text that has just reached <see cref="Message.Status"/>; call it only when the status changed.</summary>
    public void StatusChanged(CadenceDb db, Message message, DateTime now) => db.Events.Add(StatusChanged(message, now));

    /// <summary>The event of a text that has just reached <see cref="Message.Status"/>, for a writer that inserts it itself (<see cref="EventBulkWriter"/>).</summary>
    public Event StatusChanged(Message message, DateTime now)
    {
        var code = message.TeamId is { } team && teams.TryGetValue(team, out var c) ? c : null;
        var contact = message.ContactId is { } id && contacts.TryGetValue(id, out var found) ? found : null;
        return EventLog.Build(message.OrganizationId, message.TeamId, code, EventTypes.MessageStatusChanged, now, contact,
            new MessageStatusData(message.Id, message.MobileNumber, message.Status, message.StatusReason));
    }

    /// <summary>For texts a bulk write just changed, inside its transaction: reads them back by id and appends an event each.</summary>
    public static async Task<List<Message>> AppendForAsync(CadenceDb db, IQueryable<Message> changed, DateTime now, CancellationToken cancellationToken)
    {
        var messages = await changed.AsNoTracking().ToListAsync(cancellationToken);
        if (messages.Count == 0)
        {
            return messages;
        }
        var events = await ForAsync(db, messages, cancellationToken);
        foreach (var message in messages)
        {
            events.StatusChanged(db, message, now);
        }
        return messages;
    }
}
