using System.Text;
using System.Text.RegularExpressions;
using Cadence.Contacts;

namespace Cadence.Messages;

/// <summary>The rules of a text: 1 to 306 characters, merge fields filled per contact, SMS segments counted.</summary>
public static partial class MessageText
{
    public const int MaxLength = 306;

    /// <summary>A reply in a conversation with a student who texted in the last 72 hours, as the hosted product allows.</summary>
    public const int MaxReplyLength = 1500;

    // The GSM 03.38 basic set; the extension characters count twice.
    const string Gsm7 = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    const string Gsm7Extension = "^{}\\[~]|€\f";

    // Everything but the C0 and C1 control characters, except tab, line feed, form feed and carriage return.
    static readonly System.Buffers.SearchValues<char> Controls = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 32).Concat(Enumerable.Range(127, 33)).Select(i => (char)i).Where(c => c is not ('\t' or '\n' or '\f' or '\r'))]);

    public static void Validate(string? text, int maxLength = MaxLength)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new CadenceException($"messageContent is required: 1 to {maxLength:N0} characters.");
        }
        if (text.Length > maxLength)
        {
            throw new CadenceException(maxLength == MaxLength
                ? $"messageContent has {text.Length} characters; at most {MaxLength} are allowed (two SMS segments)."
                : $"messageContent has {text.Length:N0} characters; at most {maxLength:N0} are allowed.");
        }
        if (text.AsSpan().IndexOfAny(Controls) is var at and >= 0)
        {
            throw new CadenceException($"messageContent holds a control character (U+{(int)text[at]:X4}); only line breaks and tabs may be sent.");
        }
    }

    /// <summary>The merge fields a text uses; each must be FirstName, LastName or one of the team's mergeable custom fields.</summary>
    public static void CheckMergeFields(string text, IReadOnlyCollection<CustomField> fields)
    {
        foreach (Match match in MergeField().Matches(text))
        {
            var name = match.Groups[1].Value;
            if (!IsKnown(name, fields))
            {
                var allowed = string.Join(", ", new[] { "{FirstName}", "{LastName}" }.Concat(fields.Where(f => f.Mergeable).Select(f => "{" + f.Name + "}")));
                throw new CadenceException($"Unknown merge field {{{name}}}. This team's merge fields are {allowed}.");
            }
        }
    }

    /// <summary>The names of the merge fields a text uses, as written.</summary>
    public static IEnumerable<string> MergeFieldNames(string text) => MergeField().Matches(text).Select(m => m.Groups[1].Value);

    static bool IsKnown(string name, IReadOnlyCollection<CustomField> fields) =>
        name.Equals("FirstName", StringComparison.OrdinalIgnoreCase) || name.Equals("LastName", StringComparison.OrdinalIgnoreCase)
        || fields.Any(f => f.Mergeable && f.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A text merged for one contact, or why it cannot go to them (Text is then null).</summary>
    /// <param name="Problem">Lower case, to follow "Contact P1: " or stand as a skipped recipient's reason.</param>
    /// <param name="Code">The problem's code when it has one of its own.</param>
    /// <param name="MergedFields">Where custom field values went into the text (see <see cref="MergeSpans"/>).</param>
    public sealed record Merged(string? Text, string? Problem = null, string? Code = null, string? MergedFields = null);

    /// <summary>
    /// The text for one contact. The merged text keeps the rules of the text itself, since a contact's values are
    /// imported data, not checked against them: no control characters from a value (an escape sequence, a bell),
    /// and no more than <see cref="MaxLength"/> characters. A merge field the contact has no value for stops the
    /// text too, since a half-filled text ("Hi , your advisor is ") is worse than none.
    /// </summary>
    public static Merged Merge(string text, Contact contact, int maxLength = MaxLength)
    {
        var values = CustomFieldValues.Parse(contact.CustomFields);
        string? missing = null;
        (string Field, char Control)? unsendable = null;
        var spans = new List<MergeSpans.Span>();
        var shift = 0; // matches are replaced left to right: how far the text has grown so far
        var merged = MergeField().Replace(text, match =>
        {
            var name = match.Groups[1].Value;
            var isName = name.Equals("FirstName", StringComparison.OrdinalIgnoreCase) || name.Equals("LastName", StringComparison.OrdinalIgnoreCase);
            var field = values.FirstOrDefault(v => v.Key.Equals(name, StringComparison.OrdinalIgnoreCase));
            var value = name.Equals("FirstName", StringComparison.OrdinalIgnoreCase) ? contact.FirstName
                : name.Equals("LastName", StringComparison.OrdinalIgnoreCase) ? contact.LastName
                : field.Value;
            if (!isName && !string.IsNullOrEmpty(value))
            {
                spans.Add(new(match.Index + shift, value.Length, field.Key));
            }
            shift += (value?.Length ?? 0) - match.Length;
            if (string.IsNullOrEmpty(value))
            {
                missing ??= name;
                return "";
            }
            if (value.AsSpan().IndexOfAny(Controls) is var at and >= 0)
            {
                unsendable ??= (name, value[at]);
            }
            return value;
        });
        if (missing is not null)
        {
            return new(null, $"no value for {{{missing}}}");
        }
        if (unsendable is var (field, control))
        {
            return new(null, $"the value of {{{field}}} holds a control character (U+{(int)control:X4}), which a text may not carry",
                "unsendable_value");
        }
        return merged.Length > maxLength
            ? new(null, $"with this contact's values the text has {merged.Length:N0} characters; at most {maxLength:N0} are allowed")
            : new(merged, MergedFields: MergeSpans.Format(spans));
    }

    /// <summary>SMS parts: GSM-7 fits 160 characters in one (153 per part when split), anything else UCS-2: 70 (67).</summary>
    public static int Segments(string text)
    {
        var gsm = true;
        var septets = 0;
        foreach (var c in text)
        {
            if (Gsm7.Contains(c))
            {
                septets++;
            }
            else if (Gsm7Extension.Contains(c))
            {
                septets += 2;
            }
            else
            {
                gsm = false;
                break;
            }
        }
        if (gsm)
        {
            return septets <= 160 ? 1 : (septets + 152) / 153;
        }
        var units = Encoding.Unicode.GetByteCount(text) / 2;
        return units <= 70 ? 1 : (units + 66) / 67;
    }

    [GeneratedRegex(@"\{([A-Za-z][A-Za-z0-9_]{0,39})\}")]
    private static partial Regex MergeField();
}
