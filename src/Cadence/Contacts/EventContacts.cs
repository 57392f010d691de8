using Cadence.Events;

namespace Cadence.Contacts;

/// <summary>A contact as the events that concern it name it (Events knows no contact: it takes an <see cref="EventContact"/>).</summary>
public static class EventContacts
{
    public static EventContact Of(Contact c) => new(c.UniqueCampusId, c.FirstName, c.LastName, c.MobileNumber);

    /// <summary>The opt-out event for a contact whose status just changed (the new status decides the type).</summary>
    public static string OptOutType(bool optedOut) => optedOut ? EventTypes.ContactOptedOut : EventTypes.ContactOptedIn;
}
