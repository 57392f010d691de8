using Cadence.Contacts;
using Cadence.Data;
using Cadence.Messages;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Console.Pages.Messages;

/// <summary>
/// Texts as shown to someone from whom some of the team's fields are hidden. A stored text is already merged
/// (the template is not kept), so the contact's values of those fields are masked wherever they occur in it,
/// longest first. Over-masking (a short value that also occurs in the wording) is accepted: reading a hidden
/// value is not. Only texts the team sent are masked: a student's own reply is theirs to show.
/// </summary>
public sealed class HiddenValues
{
    public const string Mask = "[hidden]";

    /// <summary>Nothing is hidden.</summary>
    public static readonly HiddenValues None = new([]);

    readonly Dictionary<Guid, string[]> byContact;

    HiddenValues(Dictionary<Guid, string[]> byContact) => this.byContact = byContact;

    public static async Task<HiddenValues> LoadAsync(CadenceDb db, Guid teamId, IReadOnlySet<string> hiddenFields, IEnumerable<Message> messages,
        CancellationToken cancellationToken)
    {
        if (hiddenFields.Count == 0)
        {
            return None;
        }
        var ids = messages.Where(m => m.Direction == "outbound").Select(m => m.ContactId).OfType<Guid>().Distinct().ToList();
        var contacts = await db.Contacts.AsNoTracking().Where(c => c.TeamId == teamId && ids.Contains(c.Id))
            .Select(c => new { c.Id, c.CustomFields }).ToListAsync(cancellationToken);
        return new(contacts.ToDictionary(c => c.Id, c => CustomFieldValues.Parse(c.CustomFields)
            .Where(v => hiddenFields.Contains(v.Key) && !string.IsNullOrEmpty(v.Value))
            .Select(v => v.Value).Distinct().OrderByDescending(v => v.Length).ToArray()));
    }

    /// <summary>The text to show for a message.</summary>
    public string Text(Message message)
    {
        if (message.Direction != "outbound" || message.ContactId is not { } id || !byContact.TryGetValue(id, out var values))
        {
            return message.Body;
        }
        var text = message.Body;
        foreach (var value in values)
        {
            text = text.Replace(value, Mask, StringComparison.OrdinalIgnoreCase);
        }
        return text;
    }
}
