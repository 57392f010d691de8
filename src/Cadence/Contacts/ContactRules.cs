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
        if (text.AsSpan().ContainsAnyInRange('\u0000', '\u001f') || text.Contains('\u007f'))
        {
            input.Error(field, $"{field} contains control characters");
            return null;
        }
        return text;
    }
}
