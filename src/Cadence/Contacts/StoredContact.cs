using System.Runtime.CompilerServices;
using Cadence.Teams;

namespace Cadence.Contacts;

/// <summary>
/// What an import needs of a contact already on file, compactly: the custom field values (most of a contact's
/// size) stay in UTF-8, and the common empty set is shared.
/// </summary>
public sealed class StoredContact(Guid id, string uniqueCampusId, string firstName, string lastName, string mobileNumber, bool optedOut, string? staffId, byte[] customFields)
{
    static readonly byte[] NoFields = "{}"u8.ToArray();

    public StoredContact(Guid id, string uniqueCampusId, string firstName, string lastName, string mobileNumber, bool optedOut, string? staffId, string customFields)
        : this(id, uniqueCampusId, firstName, lastName, mobileNumber, optedOut, staffId, customFields == "{}" ? NoFields : System.Text.Encoding.UTF8.GetBytes(customFields))
    {
    }

    public Guid Id { get; } = id;
    public string UniqueCampusId { get; } = uniqueCampusId;
    public string FirstName { get; } = firstName;
    public string LastName { get; } = lastName;
    public string MobileNumber { get; } = mobileNumber;
    public bool OptedOut { get; } = optedOut;
    public string? StaffId { get; } = staffId;
    public byte[] CustomFieldsUtf8 { get; } = customFields.AsSpan().SequenceEqual(NoFields) ? NoFields : customFields;

    public string CustomFields => System.Text.Encoding.UTF8.GetString(CustomFieldsUtf8);

    /// <summary>Whether setting these values (null: removing the field) would leave the stored ones as they are.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    public bool Keeps(Dictionary<string, string?> values)
    {
        foreach (var (name, value) in values)
        {
            var reader = new System.Text.Json.Utf8JsonReader(CustomFieldsUtf8);
            reader.Read(); // the object's start
            var found = false;
            while (!found && reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
            {
                found = reader.ValueTextEquals(name);
                reader.Read(); // the value: always a string
                if (found && (value is null || !reader.ValueTextEquals(value)))
                {
                    return false;
                }
            }
            if (!found && value is not null)
            {
                return false;
            }
        }
        return true;
    }

    public bool SameCustomFields(string json) =>
        System.Text.Encoding.UTF8.GetByteCount(json) == CustomFieldsUtf8.Length && System.Text.Encoding.UTF8.GetBytes(json).AsSpan().SequenceEqual(CustomFieldsUtf8);
}

/// <summary>
/// The stored contacts a chunk of import rows names, by campus id and by number (for a number, only who holds it),
/// as the database held them when the chunk was looked up.
/// </summary>
public sealed class StoredContacts
{
    public Dictionary<string, StoredContact> ById { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> OwnerByNumber { get; } = new(StringComparer.Ordinal);

    public void Add(StoredContact contact)
    {
        ById[contact.UniqueCampusId] = contact;
        OwnerByNumber[contact.MobileNumber] = contact.UniqueCampusId;
    }

    public void Clear()
    {
        ById.Clear();
        OwnerByNumber.Clear();
    }
}

/// <summary>One row's write: a new contact, or a changed one (with whether its opt-out status is the import's to write).</summary>
public readonly record struct PlannedWrite(Contact Contact, bool IsNew, bool OptOutChanged);
