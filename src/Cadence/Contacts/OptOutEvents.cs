using Cadence.Data;
using Cadence.Events;

namespace Cadence.Contacts;

/// <summary>
/// One contact's opt-out change through the change tracker: the status, its history row and its event, saved together
/// by the caller's SaveChanges. Used by keywords and meant for the console (source "console"); imports write theirs in bulk.
/// </summary>
public static class OptOutEvents
{
    public const string Keyword = "keyword";
    public const string Import = "import";
    public const string Api = "api";
    public const string Console = "console";

    /// <summary>Changes a tracked contact's status; false (and nothing written) when it already is <paramref name="optedOut"/>.</summary>
    public static bool ChangeOptOut(this CadenceDb db, Contact contact, string departmentCode, bool optedOut, string source, DateTime now)
    {
        if (contact.OptedOut == optedOut)
        {
            return false;
        }
        db.OptOutChanges.Add(new OptOutChange
        {
            OrganizationId = contact.OrganizationId, TeamId = contact.TeamId, ContactId = contact.Id,
            OldValue = contact.OptedOut, NewValue = optedOut, Source = source, At = now,
        });
        contact.OptedOut = optedOut;
        contact.UpdatedAt = now;
        db.Append(contact.OrganizationId, contact.TeamId, departmentCode, EventContacts.OptOutType(optedOut), now,
            EventContacts.Of(contact), new OptOutData(source));
        return true;
    }

    /// <summary>The event of an opt-out change an import planned (written by the bulk writer in the import's transaction).</summary>
    public static Event ForImport(Contact contact, string departmentCode, string source, DateTime now) =>
        EventLog.Build(contact.OrganizationId, contact.TeamId, departmentCode, EventContacts.OptOutType(contact.OptedOut), now,
            EventContacts.Of(contact), new OptOutData(source));
}
