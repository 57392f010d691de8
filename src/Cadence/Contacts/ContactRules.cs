namespace Cadence.Contacts;

/// <summary>Limits on what a contact may hold: every input is bounded.</summary>
public static class ContactRules
{
    public const int MaxIdLength = 64;
    public const int MaxNameLength = 100;
    public const int MaxStaffIdLength = 64;
    public const int MaxFieldValueLength = 1000;
    public const int MaxRowsPerImport = 100_000;

    /// <summary>The standard columns; a custom field may not take one of these names.</summary>
    public static readonly string[] ReservedNames =
        ["ContactId", "StudentId", "UniqueCampusId", "FirstName", "LastName", "MobileNumber", "OptedOut", "StaffId", "AllowMobileUpdate", "CustomFields"];

    /// <summary>Trims and checks a required text value; returns null and reports the reason when it is not acceptable.</summary>
    public static string? Required(ContactInput input, string field, string? value, int maxLength)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            input.Error(field, $"{field} is required");
            return null;
        }
        if (text.Length > maxLength)
        {
            input.Error(field, $"{field} has {text.Length} characters; at most {maxLength} are allowed");
            return null;
        }
        if (text.AsSpan().IndexOfAny(Unprintable) is var at and >= 0)
        {
            var c = (int)text[at];
            input.Error(field, c >= 0x2000
                ? $"{field} holds a text-direction override (U+{c:X4}), which could make it read as something else"
                : $"{field} holds a control character (U+{c:X4})");
            return null;
        }
        return text;
    }

    /// <summary>
    /// The C0 and C1 control characters, and the bidirectional embeddings, overrides and isolates
    /// (U+202A–U+202E, U+2066–U+2069), which make a name display differently from what it holds. Names are
    /// merged into texts and shown in the console, so they hold neither. Other scripts and marks are welcome.
    /// </summary>
    static readonly System.Buffers.SearchValues<char> Unprintable = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 32).Concat(Enumerable.Range(0x7f, 33)).Concat(Enumerable.Range(0x202a, 5)).Concat(Enumerable.Range(0x2066, 4)).Select(i => (char)i)]);
}
