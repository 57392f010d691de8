using System.Runtime.CompilerServices;
using Cadence.Teams;

namespace Cadence.Contacts;

/// <summary>
/// Decides, row by row, what an import does: insert, update, leave alone, or report an error. It keeps no
/// row: each write goes straight to the writer. Of the team it sees only the stored contacts its rows name
/// (<see cref="Stored"/>, filled a chunk of rows at a time), so memory is bounded by the batch, not by the team.
/// </summary>
public sealed partial class ImportPlan(Team team, Dictionary<string, CustomField> fields, HashSet<string> staffIds, DateTime now, string source)
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
        if (!TryCheck(input, out var row, out var stored))
        {
            FailedRows++;
            return null;
        }
        seenIds[row.Id] = input.Row;
        return stored is null ? Create(input, in row) : Change(input, in row, stored);
    }

    /// <summary>A row that passed its own checks: the values it gives (a number kept on file already in place).</summary>
    readonly record struct CheckedRow(string Id, string FirstName, string LastName, string Mobile, string? StaffId, Dictionary<string, string?> Values);

    /// <summary>
    /// Checks the row on its own and against the batch and the stored contact it names (found as <paramref name="stored"/>);
    /// false when it fails, its errors then in the report. The errors keep the order of the row's fields.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    bool TryCheck(ContactInput input, out CheckedRow row, out StoredContact? stored)
    {
        var id = ContactRules.Required(input, "uniqueCampusId", input.UniqueCampusId, ContactRules.MaxIdLength);
        var firstName = ContactRules.Required(input, "firstName", input.FirstName, ContactRules.MaxNameLength);
        var lastName = ContactRules.Required(input, "lastName", input.LastName, ContactRules.MaxNameLength);
        var mobile = Mobile(input);
        var staffId = StaffId(input);
        var values = fieldRules.Values(input, Errors);

        if (id is not null && seenIds.TryGetValue(id, out var earlier))
        {
            input.Error("uniqueCampusId", $"{id} appears earlier in this batch (row {earlier}); each contact may appear once");
        }
        Stored.ById.TryGetValue(id ?? "", out stored);
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
            Report(input, id);
            row = default;
            return false;
        }
        row = new CheckedRow(id, firstName, lastName, mobile, staffId, values);
        return true;
    }

    /// <summary>The row's number in its stored form; null, and the row's error, when it has none or it is not a number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    static string? Mobile(ContactInput input)
    {
        if (string.IsNullOrWhiteSpace(input.MobileNumber))
        {
            input.Error("mobileNumber", "mobileNumber is required");
            return null;
        }
        if (input.NormalizedMobile is { } normalized)
        {
            return normalized;
        }
        input.Error("mobileNumber", $"'{TextCut.Echo(input.MobileNumber)}' is not a mobile number: {PhoneNumber.Rule}");
        return null;
    }

    /// <summary>The staff id the row gives (null: none, or not given); one no user of the organization has is the row's error.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    string? StaffId(ContactInput input)
    {
        var staffId = input.StaffIdGiven ? Blank(input.StaffId) : null;
        if (staffId is not null && !staffIds.Contains(staffId))
        {
            input.Error("staffId", $"no user has the staff id '{TextCut.Echo(staffId)}'");
        }
        return staffId;
    }

    /// <summary>A failed row's errors into the report, each under the row's campus id (cut short when it is not a valid one).</summary>
    void Report(ContactInput input, string? id)
    {
        foreach (var error in input.Errors)
        {
            Errors.Add(error with { UniqueCampusId = id ?? TextCut.Echo(input.UniqueCampusId) });
        }
        if (input.ErrorsDropped)
        {
            Errors.MarkTruncated();
        }
    }

    internal static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

}
