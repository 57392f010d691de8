namespace Cadence.Contacts;

/// <summary>A student or prospect in one team, identified there by their unique campus id.</summary>
public sealed class Contact
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public Guid TeamId { get; set; }
    public required string UniqueCampusId { get; set; }
    public required string FirstName { get; set; }
    public required string LastName { get; set; }

    /// <summary>Always in the shown form, 1-XXX-XXX-XXXX.</summary>
    public required string MobileNumber { get; set; }
    public bool OptedOut { get; set; }
    public string? StaffId { get; set; }

    /// <summary>Custom field values by field name, as a JSON object of strings.</summary>
    public string CustomFields { get; set; } = "{}";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public ContactResponse AsResponse() => new(
        UniqueCampusId, FirstName, LastName, MobileNumber, OptedOut, StaffId, CustomFieldValues.Parse(CustomFields), CreatedAt, UpdatedAt);
}

public sealed record ContactResponse(
    string UniqueCampusId, string FirstName, string LastName, string MobileNumber, bool OptedOut, string? StaffId,
    IReadOnlyDictionary<string, string> CustomFields, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>Every change of a contact's opt-out status: who, old → new, from where, when.</summary>
public sealed class OptOutChange
{
    public long Id { get; set; }
    public Guid OrganizationId { get; set; }
    public Guid TeamId { get; set; }
    public Guid ContactId { get; set; }
    public bool OldValue { get; set; }
    public bool NewValue { get; set; }

    /// <summary>import, api or keyword.</summary>
    public required string Source { get; set; }
    public DateTime At { get; set; }
}

/// <summary>A custom field a team defined; only defined fields can be imported.</summary>
public sealed class CustomField
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TeamId { get; set; }
    public required string Name { get; set; }
    public bool Required { get; set; }
    public bool Mergeable { get; set; }
    public bool HiddenFromStaff { get; set; }
    public DateTime CreatedAt { get; set; }

    public CustomFieldResponse AsResponse() => new(Name, Required, Mergeable, HiddenFromStaff);
}

public sealed record CustomFieldResponse(string Name, bool Required, bool Mergeable, bool HiddenFromStaff);
