using System.Runtime.CompilerServices;
using Cadence.Teams;

namespace Cadence.Contacts;

/// <summary>
/// Decides, row by row, what an import does: insert, update, leave alone, or report an error. It keeps no
/// row: each write goes straight to the writer. Of the team it sees only the stored contacts its rows name
/// (<see cref="Stored"/>, filled a chunk of rows at a time), so memory is bounded by the batch, not by the team.
/// </summary>
public sealed class ImportPlan(Team team, Dictionary<string, CustomField> fields, HashSet<string> staffIds, DateTime now, string source)
{
    public DateTime Now { get; } = now;
    public Team Team => team;
    public List<OptOutChange> OptOutChanges { get; } = [];

    /// <summary>The stored contacts the rows about to be planned name, by campus id or by number (see ContactImporter).</summary>
    public StoredContacts Stored { get; } = new();

    /// <summary>False when the team had no contacts as the import began: nothing needs looking up.</summary>
    public bool LooksUp { get; init; } = true;

    /// <summary>The contact.opted_out / opted_in event of each change in OptOutChanges, written with them.</summary>
    public List<Events.Event> OptOutEvents { get; } = [];
    public ImportErrors Errors { get; } = new();

    readonly ImportFields fieldRules = new(team, fields);

    /// <summary>The team's numbers opted out apart from any contact (see NumberOptOut), and whether the student said so by text.</summary>
    public IReadOnlyDictionary<string, bool> OptedOutNumbers { get; set; } = new Dictionary<string, bool>();

    /// <summary>Numbers whose remembered opt-out (not the student's) this import undid; forgotten when it commits.</summary>
    public List<string> ForgottenNumbers { get; } = [];
    public int Total { get; private set; }
    public int Created { get; private set; }
    public int Updated { get; private set; }
    public int Unchanged { get; private set; }
    public int FailedRows { get; private set; }

    readonly Dictionary<string, int> seenIds = new(StringComparer.Ordinal);
    // The numbers this batch gave or took away, and to whom: they are not yet (or no longer) as stored.
    readonly Dictionary<string, string> batchNumbers = new(StringComparer.Ordinal);

    /// <summary>
    /// Adds what a row needs looked up to <paramref name="ids"/> and <paramref name="numbers"/>: its campus id, and its
    /// number unless this batch already decided who holds it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    public void Keys(ContactInput input, List<string> ids, List<string> numbers)
    {
        if (input.UniqueCampusId?.Trim() is { Length: > 0 and <= ContactRules.MaxIdLength } id)
        {
            ids.Add(id);
        }
        if (input.NormalizedMobile is { } mobile && !batchNumbers.ContainsKey(mobile))
        {
            numbers.Add(mobile);
        }
    }

    /// <summary>
    /// Plans one row; null when it fails or changes nothing. A changed contact's OptedOut is written only when
    /// OptOutChanged: a STOP that lands while the import runs must not be undone by the status read before it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    public PlannedWrite? Add(ContactInput input)
    {
        Total++;
        var id = ContactRules.Required(input, "uniqueCampusId", input.UniqueCampusId, ContactRules.MaxIdLength);
        var firstName = ContactRules.Required(input, "firstName", input.FirstName, ContactRules.MaxNameLength);
        var lastName = ContactRules.Required(input, "lastName", input.LastName, ContactRules.MaxNameLength);
        string? mobile = null;
        if (string.IsNullOrWhiteSpace(input.MobileNumber))
        {
            input.Error("mobileNumber", "mobileNumber is required");
        }
        else if (input.NormalizedMobile is not { } normalized)
        {
            input.Error("mobileNumber", $"'{Shorten(input.MobileNumber)}' is not a mobile number: {PhoneNumber.Rule}");
        }
        else
        {
            mobile = normalized;
        }
        var staffId = input.StaffIdGiven ? Blank(input.StaffId) : null;
        if (staffId is not null && !staffIds.Contains(staffId))
        {
            input.Error("staffId", $"no user has the staff id '{Shorten(staffId)}'");
        }
        var values = fieldRules.Values(input, Errors);

        if (id is not null && seenIds.TryGetValue(id, out var earlier))
        {
            input.Error("uniqueCampusId", $"{id} appears earlier in this batch (row {earlier}); each contact may appear once");
        }
        Stored.ById.TryGetValue(id ?? "", out var stored);
        if (stored is not null && !input.AllowMobileUpdate)
        {
            mobile = stored.MobileNumber; // allowMobileUpdate: false keeps the number on file
        }
        if (mobile is not null && id is not null && (batchNumbers.TryGetValue(mobile, out var owner) || Stored.OwnerByNumber.TryGetValue(mobile, out owner)) && owner != id)
        {
            input.Error("mobileNumber", $"{mobile} already belongs to contact {owner} in this team");
        }
        if (input.Failed || id is null || firstName is null || lastName is null || mobile is null)
        {
            foreach (var error in input.Errors)
            {
                Errors.Add(error with { UniqueCampusId = id ?? Shorten(input.UniqueCampusId) });
            }
            if (input.ErrorsDropped)
            {
                Errors.MarkTruncated();
            }
            FailedRows++;
            return null;
        }

        seenIds[id] = input.Row;
        if (stored is null)
        {
            var merged = ImportFields.Merge([], values);
            if (fieldRules.MissingRequired(input, merged, Errors))
            {
                FailedRows++;
                return null;
            }
            var contact = new Contact
            {
                OrganizationId = team.OrganizationId, TeamId = team.Id, UniqueCampusId = id, FirstName = firstName, LastName = lastName,
                MobileNumber = mobile, OptedOut = HeedNumber(input, id, mobile, input.OptedOut ?? false, newNumber: true), StaffId = staffId,
                CustomFields = CustomFieldValues.Serialize(merged), CreatedAt = Now, UpdatedAt = Now,
            };
            Created++;
            batchNumbers[mobile] = id;
            if (contact.OptedOut)
            {
                RecordOptOut(contact, false);
            }
            return new PlannedWrite(contact, true, contact.OptedOut);
        }

        // Most rows of a regular import change nothing: keep the stored text unless a value or a rule needs a look.
        string? customFields = null; // null: as stored
        // The common case, values equal to the stored ones, is checked on the stored UTF-8 without decoding it:
        // parse, merge and serialise for every row took about 0.5 s of a 100,000-row unchanged re-import.
        if (fieldRules.HasRequired || (values.Count > 0 && !stored.Keeps(values)))
        {
            var mergedValues = ImportFields.Merge(CustomFieldValues.Parse(stored.CustomFieldsUtf8), values);
            if (fieldRules.MissingRequired(input, mergedValues, Errors))
            {
                FailedRows++;
                return null;
            }
            customFields = CustomFieldValues.Serialize(mergedValues);
            if (stored.SameCustomFields(customFields))
            {
                customFields = null;
            }
        }
        var optedOut = HeedNumber(input, id, mobile, input.OptedOut ?? stored.OptedOut, newNumber: mobile != stored.MobileNumber);
        var newStaffId = input.StaffIdGiven ? staffId : stored.StaffId;
        if (firstName == stored.FirstName && lastName == stored.LastName && mobile == stored.MobileNumber
            && optedOut == stored.OptedOut && newStaffId == stored.StaffId && customFields is null)
        {
            Unchanged++;
            return null;
        }
        var updated = new Contact
        {
            Id = stored.Id, OrganizationId = team.OrganizationId, TeamId = team.Id, UniqueCampusId = id,
            FirstName = firstName, LastName = lastName, MobileNumber = mobile, OptedOut = optedOut, StaffId = newStaffId,
            CustomFields = customFields ?? stored.CustomFields, // decoded only for a contact that is written
            UpdatedAt = Now,
        };
        Updated++;
        if (updated.MobileNumber != stored.MobileNumber)
        {
            // The old number stays reserved until the batch is written: passing a number from one contact to
            // another inside one batch could break the unique index halfway (import such moves in two batches).
            batchNumbers[updated.MobileNumber] = id;
            batchNumbers[stored.MobileNumber] = id;
        }
        if (updated.OptedOut != stored.OptedOut)
        {
            RecordOptOut(updated, stored.OptedOut);
        }
        return new PlannedWrite(updated, false, updated.OptedOut != stored.OptedOut);
    }

    /// <summary>
    /// The opt-out status a row ends with once its number's own opt-out is heeded: a STOP the student texted
    /// stands whatever the import says; another remembered opt-out (of a deleted contact) carries over to a contact
    /// given the number, unless the row opts it in.
    /// </summary>
    bool HeedNumber(ContactInput input, string id, string mobile, bool wanted, bool newNumber)
    {
        if (OptedOutNumbers.Count == 0 || !OptedOutNumbers.TryGetValue(mobile, out var byStudent))
        {
            return wanted;
        }
        if (byStudent)
        {
            if (input.OptedOut == false)
            {
                Notice(input, id, $"the student texted STOP from {mobile}; only the student can opt back in (by texting START), so the contact stays opted out");
            }
            else if (newNumber && input.OptedOut is null)
            {
                Notice(input, id, $"the student texted STOP from {mobile} earlier, so the contact starts opted out");
            }
            return true;
        }
        if (input.OptedOut == false)
        {
            ForgottenNumbers.Add(mobile);
            return false;
        }
        if (newNumber && input.OptedOut is null)
        {
            Notice(input, id, $"{mobile} opted out of this team earlier, so the contact starts opted out");
        }
        return newNumber || wanted;
    }

    void Notice(ContactInput input, string id, string reason) => Errors.Notice(new RowError(input.Row, id, "optedOut", reason));

    void RecordOptOut(Contact contact, bool oldValue)
    {
        OptOutChanges.Add(new OptOutChange
        {
            OrganizationId = contact.OrganizationId, TeamId = contact.TeamId, ContactId = contact.Id,
            OldValue = oldValue, NewValue = contact.OptedOut, Source = source, At = Now,
        });
        OptOutEvents.Add(Contacts.OptOutEvents.ForImport(contact, team.DepartmentCode, source, Now));
    }

    internal static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    internal static string? Shorten(string? text) => TextCut.Cut(text, 40);
}
