using System.Runtime.CompilerServices;

namespace Cadence.Contacts;

/// <summary>
/// Rows waiting while the stored contacts they name are looked up together (<see cref="ContactImporter"/>), with the
/// campus ids and numbers to look up. One per import, cleared after each chunk, so its lists keep their capacity.
/// </summary>
sealed class ImportChunk
{
    public List<ContactInput> Rows { get; } = [];
    public List<string> Ids { get; } = [];
    public List<string> Numbers { get; } = [];

    int chars;

    /// <summary>Adds a row and what it needs looked up; true when the chunk is full, by rows or by the characters they hold.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    public bool Add(ImportPlan plan, ContactInput row)
    {
        Rows.Add(row);
        plan.Keys(row, Ids, Numbers);
        chars += Chars(row);
        return Rows.Count == ContactImporter.LookupChunkRows || chars >= ContactImporter.LookupChunkChars;
    }

    public void Clear()
    {
        Rows.Clear();
        Ids.Clear();
        Numbers.Clear();
        chars = 0;
    }

    /// <summary>About what a waiting row holds, in characters.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    static int Chars(ContactInput row)
    {
        var chars = 64 + (row.UniqueCampusId?.Length ?? 0) + (row.FirstName?.Length ?? 0) + (row.LastName?.Length ?? 0)
            + (row.MobileNumber?.Length ?? 0) + (row.StaffId?.Length ?? 0) + row.Errors.Count * (ImportErrors.MaxReasonLength + ImportErrors.MaxFieldLength + 64);
        foreach (var (name, value) in row.CustomFields)
        {
            chars += name.Length + (value?.Length ?? 0) + 32;
        }
        return chars;
    }
}
