using System.Diagnostics.CodeAnalysis;

namespace Cadence;

/// <summary>
/// The one rule for shortening text Cadence shows back (an echo in a problem's detail, a report, a log line, a
/// stored reason): cut where the text is too long, mark the cut with "…", never split a surrogate pair (half of an
/// emoji is not text, and would not survive UTF-8), and leave null as null.
/// </summary>
public static class TextCut
{
    public const string Mark = "…";

    /// <summary>
    /// The first <paramref name="max"/> characters and "…" when the text is longer (so at most max + 1 in all): an
    /// echo of what a client sent, where the limit is on the text kept. One less when the cut falls inside a pair.
    /// </summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Cut(string? text, int max)
    {
        if (text is null || text.Length <= max)
        {
            return text;
        }
        return text[..Boundary(text, max)] + Mark;
    }

    /// <summary>
    /// At most <paramref name="max"/> characters in all, "…" included: for text stored in a bounded column or
    /// header, where the limit is on the result.
    /// </summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Fit(string? text, int max)
    {
        if (text is null || text.Length <= max)
        {
            return text;
        }
        return text[..Boundary(text, max - Mark.Length)] + Mark;
    }

    /// <summary>The first <paramref name="max"/> characters, unmarked (one less when the cut falls inside a pair): for a value used as it is, such as a search.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Prefix(string? text, int max) => text is null || text.Length <= max ? text : text[..Boundary(text, max)];

    /// <summary>How much of a client's value a message or report quotes back ("no custom field '…'").</summary>
    public const int EchoLength = 40;

    /// <summary>A client's value as a message quotes it: <see cref="Cut"/> at <see cref="EchoLength"/>.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Echo(string? text) => Cut(text, EchoLength);

    /// <summary>"…" and the last <paramref name="max"/> characters when the text is longer: for a path, whose end says most.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? CutStart(string? text, int max)
    {
        if (text is null || text.Length <= max)
        {
            return text;
        }
        var start = text.Length - max;
        return Mark + text[(char.IsLowSurrogate(text[start]) ? start + 1 : start)..];
    }

    /// <summary>Where to end a prefix of at most <paramref name="length"/> characters without splitting a pair.</summary>
    static int Boundary(string text, int length) =>
        length > 0 && char.IsHighSurrogate(text[length - 1]) ? length - 1 : Math.Max(length, 0);
}
