using System.Text;

namespace Cadence.Contacts;

/// <summary>
/// Reads the manual-import spreadsheet: headers ContactId or StudentId, FirstName, LastName, MobileNumber,
/// and optionally OptedOut, StaffId and one column per custom field, in any order. RFC 4180 quoting;
/// comma-separated, or tab-separated. Row numbers are spreadsheet rows: the header is row 1.
/// </summary>
public static class CsvContactReader
{
    static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads a whole upload (the API's request body, the console's file) into one buffer, sized up front when
    /// the length is known (a file already received), and then the rows.
    /// </summary>
    public static async Task<List<ContactInput>> ReadAsync(Stream body, long? length, char separator, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(length is > 0 and <= int.MaxValue ? (int)length : 0);
        await body.CopyToAsync(buffer, cancellationToken);
        return Read(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), separator);
    }

    public static List<ContactInput> Read(ReadOnlySpan<byte> body, char separator)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            throw new CadenceException("The CSV is not UTF-8 text. Save it as \"CSV UTF-8\" and send it again.");
        }
        var records = Records(text.TrimStart('\uFEFF'), separator).GetEnumerator();
        if (!records.MoveNext())
        {
            throw new CadenceException("The CSV is empty: it needs a header row.");
        }
        var columns = Columns(records.Current);
        var rows = new List<ContactInput>();
        var rowNumber = 1;
        while (records.MoveNext())
        {
            rowNumber++;
            var cells = records.Current;
            if (cells.Count == 1 && cells[0].Length == 0)
            {
                continue; // a blank line
            }
            if (rows.Count == ContactRules.MaxRowsPerImport)
            {
                throw new CadenceException($"An import holds at most {ContactRules.MaxRowsPerImport:N0} contacts. Split the file.",
                    StatusCodes.Status413PayloadTooLarge);
            }
            rows.Add(Row(columns, cells, rowNumber));
        }
        return rows;
    }

    sealed record Column(int Index, string Name);

    /// <summary>The seven standard columns, a team's most custom fields, and room for blank ones.</summary>
    public const int MaxColumns = 7 + CustomFieldService.MaxFieldsPerTeam + 21;

    static List<Column> Columns(List<string> headers)
    {
        // Every column becomes an entry on every row: a header of a million columns would fill memory long
        // before any row could be refused, so the header is measured first.
        if (headers.Count > MaxColumns)
        {
            throw new CadenceException($"The CSV has {headers.Count:N0} columns; a contact file has at most {MaxColumns}.");
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

    static ContactInput Row(List<Column> columns, List<string> cells, int rowNumber)
    {
        var input = new ContactInput { Row = rowNumber };
        foreach (var column in columns)
        {
            var value = column.Index < cells.Count ? cells[column.Index] : "";
            switch (column.Name)
            {
                case "uniqueCampusId": input.UniqueCampusId = value; break;
                case "firstName": input.FirstName = value; break;
                case "lastName": input.LastName = value; break;
                case "mobileNumber": input.MobileNumber = value; break;
                case "staffId":
                    input.StaffIdGiven = true;
                    input.StaffId = value;
                    break;
                case "allowMobileUpdate":
                    if (InputValues.TryParseChoice(value, out var allow))
                    {
                        input.AllowMobileUpdate = allow ?? true;
                    }
                    else
                    {
                        input.Error("AllowMobileUpdate", "AllowMobileUpdate must be yes/true/y/1, no/false/n/0 or blank");
                    }
                    break;
                case "optedOut":
                    if (InputValues.TryParseChoice(value, out var choice))
                    {
                        input.OptedOut = choice;
                    }
                    else
                    {
                        input.Error("OptedOut", "OptedOut must be yes/true/y/1, no/false/n/0 or blank");
                    }
                    break;
                default:
                    // A spreadsheet cannot say null: a blank cell clears the field. A row too short to reach
                    // the column leaves the field as it is.
                    if (column.Index < cells.Count)
                    {
                        input.CustomFields[column.Name] = value.Length == 0 ? null : value;
                    }
                    break;
            }
        }
        return input;
    }

    /// <summary>RFC 4180 records: quoted cells may hold separators, doubled quotes and line breaks.</summary>
    static IEnumerable<List<string>> Records(string text, char separator)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"' && cell.Length == 0)
            {
                i++;
                while (i < text.Length)
                {
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            cell.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    cell.Append(text[i++]);
                }
                continue;
            }
            if (c == separator)
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else if (c is '\r' or '\n')
            {
                cells.Add(cell.ToString());
                cell.Clear();
                yield return cells;
                cells = [];
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
            }
            else
            {
                cell.Append(c);
            }
            i++;
        }
        if (cell.Length > 0 || cells.Count > 0)
        {
            cells.Add(cell.ToString());
            yield return cells;
        }
    }
}
