namespace Cadence.Contacts;

/// <summary>A CSV import's header: which cell holds what, at most <see cref="Max"/> columns.</summary>
static class CsvColumns
{
    public sealed record Column(int Index, string Name);

    /// <summary>The seven standard columns, a team's most custom fields, and room for blank ones.</summary>
    public const int Max = 7 + CustomFieldService.MaxFieldsPerTeam + 21;

    /// <summary>The header's columns under the import's names (ContactId, StudentId and UniqueCampusId are one), checked once.</summary>
    public static List<Column> FromHeader(IReadOnlyList<string> headers)
    {
        // The reader's window (MaxRecordChars) already bounds the header; this is the rule a user reads.
        if (headers.Count > Max)
        {
            throw new CadenceException($"The CSV has {headers.Count:N0} columns; a contact file has at most {Max}.");
        }
        var columns = new List<Column>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i].Trim();
            if (header.Length == 0)
            {
                continue;
            }
            var name = header.ToLowerInvariant() switch
            {
                "contactid" or "studentid" or "uniquecampusid" => "uniqueCampusId",
                "firstname" => "firstName",
                "lastname" => "lastName",
                "mobilenumber" => "mobileNumber",
                "optedout" => "optedOut",
                "staffid" => "staffId",
                "allowmobileupdate" => "allowMobileUpdate",
                _ => header,
            };
            if (!seen.Add(name))
            {
                throw new CadenceException($"The CSV has the column '{header}' twice (ContactId and StudentId are the same column).");
            }
            columns.Add(new Column(i, name));
        }
        var missing = new[] { ("uniqueCampusId", "ContactId (or StudentId)"), ("firstName", "FirstName"), ("lastName", "LastName"), ("mobileNumber", "MobileNumber") }
            .Where(r => !seen.Contains(r.Item1)).Select(r => r.Item2).ToList();
        if (missing.Count > 0)
        {
            throw new CadenceException($"The CSV lacks the required column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)}.");
        }
        return columns;
    }
}
