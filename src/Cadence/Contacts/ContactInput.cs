namespace Cadence.Contacts;

/// <summary>
/// One contact as a client sent it, from a JSON import row, a CSV line or the single-contact call. "Not
/// given" and "given as empty" differ: an absent opt-out keeps the stored status, an empty staff id clears it.
/// </summary>
public sealed class ContactInput
{
    public int Row { get; init; }
    public string? UniqueCampusId { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? MobileNumber { get; set; }

    /// <summary>Null: keep the stored status (opted in for a new contact).</summary>
    public bool? OptedOut { get; set; }
    public bool StaffIdGiven { get; set; }
    public string? StaffId { get; set; }

    /// <summary>Values by field name as sent; a null value clears the field.</summary>
    public Dictionary<string, string?> CustomFields { get; } = new(StringComparer.OrdinalIgnoreCase);
    public bool AllowMobileUpdate { get; set; } = true;

    /// <summary>The number in its stored form (null: not a number), worked out once for the import's lookup and its checks.</summary>
    internal string? NormalizedMobile => normalizedRead ? normalizedMobile : Normalize();

    string? normalizedMobile;
    bool normalizedRead;

    string? Normalize()
    {
        normalizedRead = true;
        return normalizedMobile = PhoneNumber.TryNormalize(MobileNumber, out var normalized) ? normalized : null;
    }

    /// <summary>Problems found while reading the row (a wrong type, an unreadable value), at most <see cref="MaxErrorsPerRow"/>.</summary>
    public IReadOnlyList<RowError> Errors => errors ?? (IReadOnlyList<RowError>)[];

    List<RowError>? errors; // made for the first error only: most rows have none

    /// <summary>True when the row had more problems than were kept.</summary>
    public bool ErrorsDropped { get; private set; }

    /// <summary>The row fails either way; a row of a hundred thousand wrong custom fields must not make a hundred thousand reports.</summary>
    public const int MaxErrorsPerRow = 20;

    public bool Failed => errors is { Count: > 0 } || ErrorsDropped || failedQuietly;

    bool failedQuietly;

    /// <summary>The row fails for a reason already reported once for the import (an unknown custom field).</summary>
    public void FailQuietly() => failedQuietly = true;

    public void Error(string field, string reason)
    {
        errors ??= [];
        if (errors.Count == MaxErrorsPerRow)
        {
            ErrorsDropped = true;
            return;
        }
        errors.Add(ImportErrors.Bounded(new RowError(Row, UniqueCampusId, field, reason)));
    }
}

/// <summary>The values read the same way whether they came from JSON or CSV.</summary>
public static class InputValues
{
    /// <summary>yes/true/y/1 opt out, no/false/n/0 opt in, blank keeps; anything else is not a choice.</summary>
    public static bool TryParseChoice(string text, out bool? value)
    {
        value = text.Trim().ToLowerInvariant() switch
        {
            "yes" or "true" or "y" or "1" => true,
            "no" or "false" or "n" or "0" => false,
            _ => null,
        };
        return value is not null || string.IsNullOrWhiteSpace(text);
    }
}

/// <summary>
/// An import body as the OpenAPI document describes it. JsonContactReader reads it by hand, leniently as the
/// hosted API does (1 and 0 for booleans, nulls), so these types exist for the document alone.
/// </summary>
public sealed record ImportBody(IReadOnlyList<ContactRow> Contacts, string? NotificationEmail = null, bool? AllowMobileUpdate = null);

/// <summary>One contact of an import, or the body of the single-contact call; a null custom field value clears it.</summary>
public sealed record ContactRow(
    string UniqueCampusId, string FirstName, string LastName, string MobileNumber, bool? OptedOut = null, string? StaffId = null,
    IReadOnlyDictionary<string, string?>? CustomFields = null, bool? AllowMobileUpdate = null);
