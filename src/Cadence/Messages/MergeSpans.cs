using System.Globalization;
using System.Text;

namespace Cadence.Messages;

/// <summary>
/// Where custom field values were merged into a sent text, kept on the message ("start:length:Field;…") so
/// that a field hidden from staff is masked exactly where its value went, whatever the contact's values are
/// now. "" means no custom field was merged; <see cref="TooMany"/> that the list outgrew its column, and staff
/// who may not see every field then see none of the text.
/// </summary>
public static class MergeSpans
{
    public readonly record struct Span(int Start, int Length, string Field);

    public const string TooMany = "*";

    public static string Format(IReadOnlyList<Span> spans)
    {
        var text = new StringBuilder();
        foreach (var span in spans)
        {
            text.Append(text.Length == 0 ? "" : ";").Append(CultureInfo.InvariantCulture, $"{span.Start}:{span.Length}:{span.Field}");
        }
        return text.Length <= Message.MaxMergedFieldsLength ? text.ToString() : TooMany;
    }

    public static List<Span> Parse(string merged)
    {
        var spans = new List<Span>();
        foreach (var part in merged.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var pieces = part.Split(':', 3);
            if (pieces.Length == 3 && int.TryParse(pieces[0], CultureInfo.InvariantCulture, out var start)
                && int.TryParse(pieces[1], CultureInfo.InvariantCulture, out var length))
            {
                spans.Add(new(start, length, pieces[2]));
            }
        }
        return spans;
    }

    /// <summary>The text with the values of the given fields replaced by the mask.</summary>
    public static string Mask(string body, string merged, IReadOnlySet<string> hidden, string mask)
    {
        if (merged == TooMany)
        {
            return mask;
        }
        var text = new StringBuilder(body);
        // Right to left, so that earlier spans keep their offsets.
        foreach (var span in Parse(merged).Where(s => hidden.Contains(s.Field)).OrderByDescending(s => s.Start))
        {
            if (span.Start >= 0 && span.Length >= 0 && span.Start + span.Length <= text.Length)
            {
                text.Remove(span.Start, span.Length).Insert(span.Start, mask);
            }
        }
        return text.ToString();
    }
}
