using System.Runtime.CompilerServices;
using System.Text;
using Sylvan.Data.Csv;

namespace Cadence.Contacts;

/// <summary>
/// Reads the manual-import spreadsheet: headers ContactId or StudentId, FirstName, LastName, MobileNumber,
/// and optionally OptedOut, StaffId and one column per custom field, in any order. RFC 4180 quoting;
/// comma-separated, or tab-separated. Row numbers are spreadsheet rows: the header is row 1. Read a record
/// at a time by Sylvan.Data.Csv through a bounded window: a record (the header too) longer than
/// <see cref="MaxRecordChars"/> is refused without reading on.
/// </summary>
public sealed class CsvContactReader : IContactSource
{
    static readonly UTF8Encoding StrictUtf8 = new(true, throwOnInvalidBytes: true);

    /// <summary>The longest record: 128 cells of the longest legal value (1,000 characters), all quotes doubled, with room to spare.</summary>
    public const int MaxRecordChars = 512 * 1024;

    readonly CsvDataReader csv;
    readonly Func<bool> read; // made once: a method group passed per row is a new delegate per row
    readonly List<CsvColumns.Column> columns;
    readonly int headerCount;
    int rowNumber = 1;
    int rows;

    public string Format => "csv";
    public string? NotificationEmail => null;

    CsvContactReader(CsvDataReader csv, List<CsvColumns.Column> columns, int headerCount)
    {
        this.csv = csv;
        read = csv.Read;
        this.columns = columns;
        this.headerCount = headerCount;
    }

    /// <summary>Reads and checks the header; the rows follow through Next().</summary>
    public static CsvContactReader Open(Stream body, char separator)
    {
        CountHeader(body, (byte)separator);
        var text = new StreamReader(body, StrictUtf8, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024);
        CsvDataReader? csv = null;
        try
        {
            csv = Guard(() => CsvDataReader.Create(text, new CsvDataReaderOptions
            {
                HasHeaders = true,
                Delimiter = separator,
                // No comment lines: an id may start with '#'.
                Comment = '\0',
                BufferSize = 64 * 1024,
                MaxBufferSize = MaxRecordChars,
            }), static _ => "The CSV's header row", 0);
            if (csv.FieldCount == 0 || (csv.FieldCount == 1 && csv.GetName(0).Trim().Length == 0))
            {
                throw new CadenceException("The CSV is empty: it needs a header row.");
            }
            var headers = Enumerable.Range(0, csv.FieldCount).Select(csv.GetName).ToList();
            var reader = new CsvContactReader(csv, CsvColumns.FromHeader(headers), headers.Count);
            csv = null;
            return reader;
        }
        finally
        {
            csv?.Dispose();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    public ContactInput? Next()
    {
        // The row's name is made only for an error: formatting it for every row cost more than reading the row.
        while (Guard(read, static row => $"Row {row:N0}", rowNumber + 1))
        {
            rowNumber++;
            if (csv.RowFieldCount == 0 || (csv.RowFieldCount == 1 && csv.GetFieldSpan(0).Length == 0))
            {
                continue; // a blank line
            }
            if (++rows > ContactRules.MaxRowsPerImport)
            {
                throw new CadenceException($"An import holds at most {ContactRules.MaxRowsPerImport:N0} contacts. Split the file.",
                    StatusCodes.Status413PayloadTooLarge);
            }
            // Only the header's columns are read; extra cells are counted (inside the bounded window), never kept.
            var input = Row(columns, csv, rowNumber);
            if (csv.RowFieldCount > headerCount)
            {
                input.Error("row", $"the row has {csv.RowFieldCount:N0} cells; the header has {headerCount}");
            }
            return input;
        }
        return null;
    }

    /// <summary>
    /// Counts the header's cells on the raw bytes (separators, quotes and line ends are ASCII in UTF-8) and
    /// stops as soon as the column cap is crossed: a header of a million commas is refused after 129 of them.
    /// </summary>
    static void CountHeader(Stream body, byte separator)
    {
        var start = body.Position;
        var buffer = new byte[16 * 1024];
        var cells = 1;
        var quoted = false;
        var any = false;
        int read;
        while ((read = body.Read(buffer)) > 0)
        {
            foreach (var b in buffer.AsSpan(0, read))
            {
                if (b == '"')
                {
                    quoted = !quoted;
                }
                else if (!quoted && b is (byte)'\n' or (byte)'\r')
                {
                    if (any)
                    {
                        body.Position = start;
                        return;
                    }
                }
                else if (!quoted && b == separator && ++cells > CsvColumns.Max)
                {
                    throw new CadenceException($"The CSV has more than {CsvColumns.Max} columns; a contact file has at most {CsvColumns.Max}.");
                }
                any |= b is not (0xEF or 0xBB or 0xBF);
            }
        }
        if (!any)
        {
            throw new CadenceException("The CSV is empty: it needs a header row.");
        }
        body.Position = start;
    }

    /// <summary>Sylvan's failures in the import's words: not UTF-8, or a record past the window.</summary>
    static T Guard<T>(Func<T> read, Func<int, string> what, int row)
    {
        try
        {
            return read();
        }
        catch (DecoderFallbackException)
        {
            throw new CadenceException("The CSV is not UTF-8 text. Save it as \"CSV UTF-8\" and send it again.");
        }
        catch (CsvRecordTooLargeException)
        {
            throw new CadenceException($"{what(row)} is longer than {MaxRecordChars:N0} characters; a contact row holds at most {CsvColumns.Max} cells of " +
                $"{ContactRules.MaxFieldValueLength:N0} characters. Check the file's separators and quotes.");
        }
    }

    public void Dispose() => csv.Dispose();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    static ContactInput Row(List<CsvColumns.Column> columns, CsvDataReader cells, int rowNumber)
    {
        var input = new ContactInput { Row = rowNumber };
        foreach (var column in columns)
        {
            var present = column.Index < cells.RowFieldCount;
            var value = present ? cells.GetString(column.Index) : "";
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
                    if (present)
                    {
                        input.CustomFields[column.Name] = value.Length == 0 ? null : value;
                    }
                    break;
            }
        }
        return input;
    }
}
