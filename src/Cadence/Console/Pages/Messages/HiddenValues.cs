using Cadence.Contacts;
using Cadence.Data;
using Cadence.Messages;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Console.Pages.Messages;

/// <summary>
/// Texts as shown to someone from whom some of the team's fields are hidden. A text records where custom field
/// values were merged into it (<see cref="Message.MergedFields"/>), and exactly those of hidden fields are masked,
/// whatever the contact's values are now. Texts from before that was kept are masked by the contact's current
/// values wherever they occur, longest first (over-masking accepted; a value changed since is the known gap).
/// Only texts the team sent are masked: a student's own reply is theirs to show.
/// </summary>
public sealed class HiddenValues
{
    public const string Mask = "[hidden]";

    /// <summary>Nothing is hidden.</summary>
    public static readonly HiddenValues None = new([], new HashSet<string>());

    readonly Dictionary<Guid, string[]> byContact;
    readonly IReadOnlySet<string> hiddenFields;

    HiddenValues(Dictionary<Guid, string[]> byContact, IReadOnlySet<string> hiddenFields)
    {
        this.byContact = byContact;
        this.hiddenFields = hiddenFields;
    }

    public static async Task<HiddenValues> LoadAsync(CadenceDb db, Guid teamId, IReadOnlySet<string> hiddenFields, IEnumerable<Message> messages,
        CancellationToken cancellationToken)
    {
        if (hiddenFields.Count == 0)
        {
            return None;
        }
        var ids = messages.Where(m => m.Direction == "outbound" && m.MergedFields is null).Select(m => m.ContactId).OfType<Guid>().Distinct().ToList();
        var contacts = await db.Contacts.AsNoTracking().Where(c => c.TeamId == teamId && ids.Contains(c.Id))
            .Select(c => new { c.Id, c.CustomFields }).ToListAsync(cancellationToken);
        return new(contacts.ToDictionary(c => c.Id, c => CustomFieldValues.Parse(c.CustomFields)
            .Where(v => hiddenFields.Contains(v.Key) && !string.IsNullOrEmpty(v.Value))
            .Select(v => v.Value).Distinct().OrderByDescending(v => v.Length).ToArray()), hiddenFields);
    }

    /// <summary>The text to show for a message.</summary>
    public string Text(Message message)
    {
        if (message.Direction == "outbound" && message.MergedFields is { } merged && hiddenFields.Count > 0)
        {
            return MergeSpans.Mask(message.Body, merged, hiddenFields, Mask);
        }
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
