using System.Globalization;
using System.Text;
using Cadence.Contacts;
using Cadence.Teams;

namespace Cadence.Email;

/// <summary>The email an import's notificationEmail gets: the batch's counts, and its row errors as errors.csv.</summary>
public static class ImportReportEmail
{
    public const string Kind = "import_report";
    public const string AttachmentName = "errors.csv";

    public static EmailMessage Compose(Team team, ImportBatch batch, string to)
    {
        var report = batch.AsReport(team.DepartmentCode);
        var body = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"The import into team {team.DepartmentCode} ({team.Name}) finished at {When(batch.CreatedAt)}.")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Batch:     {batch.Id}")
            .AppendLine(CultureInfo.InvariantCulture, $"Format:    {batch.Format}")
            .AppendLine(CultureInfo.InvariantCulture, $"Rows:      {batch.Total}")
            .AppendLine(CultureInfo.InvariantCulture, $"Created:   {batch.Created}")
            .AppendLine(CultureInfo.InvariantCulture, $"Updated:   {batch.Updated}")
            .AppendLine(CultureInfo.InvariantCulture, $"Unchanged: {batch.Unchanged}")
            .AppendLine(CultureInfo.InvariantCulture, $"Failed:    {batch.Failed}")
            .AppendLine();
        byte[]? attachment = null;
        if (report.Errors.Count > 0)
        {
            var (csv, rows) = Csv(report.Errors);
            attachment = csv;
            body.AppendLine(CultureInfo.InvariantCulture, $"The row errors are attached as {AttachmentName} ({rows} rows).");
            if (report.ErrorsTruncated || rows < report.Errors.Count)
            {
                // errorsTruncated, as the API's report says it: the failed count is true, the list is not all of it.
                body.AppendLine(CultureInfo.InvariantCulture,
                    $"errorsTruncated: only the first {rows:N0} row errors are kept; {batch.Failed:N0} rows failed in all.");
            }
        }
        else
        {
            body.AppendLine("No row failed.");
        }
        if (report.Notices.Count > 0)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"{report.Notices.Count} rows have notices (for example, a number that starts opted out); see the batch's report.");
        }
        body.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"The full report: GET /v2/contacts/{team.DepartmentCode}/import/{batch.Id}");
        return new EmailMessage
        {
            OrganizationId = team.OrganizationId, TeamId = team.Id, Kind = Kind, To = to,
            Subject = EmailAddress.OneLine(batch.Failed == 0
                ? $"Cadence import into {team.DepartmentCode}: {batch.Total:N0} rows, none failed"
                : $"Cadence import into {team.DepartmentCode}: {batch.Failed:N0} of {batch.Total:N0} rows failed", EmailMessage.MaxSubject),
            Body = body.ToString(),
            AttachmentName = attachment is null ? null : AttachmentName,
            Attachment = attachment,
        };
    }

    /// <summary>RFC 4180 CSV (CRLF, quoted where needed), stopped before it passes the attachment bound.</summary>
    static (byte[] Csv, int Rows) Csv(IReadOnlyList<RowError> errors)
    {
        var csv = new StringBuilder("row,uniqueCampusId,field,reason\r\n");
        var bytes = csv.Length;
        var rows = 0;
        foreach (var error in errors)
        {
            var line = $"{error.Row},{Cell(error.UniqueCampusId)},{Cell(error.Field)},{Cell(error.Reason)}\r\n";
            bytes += Encoding.UTF8.GetByteCount(line);
            if (bytes > EmailMessage.MaxAttachment)
            {
                break;
            }
            csv.Append(line);
            rows++;
        }
        return (Encoding.UTF8.GetBytes(csv.ToString()), rows);
    }

    static string Cell(string? value)
    {
        value ??= "";
        // A cell a spreadsheet would run as a formula (=, +, -, @) gets a leading apostrophe: the values come from the import.
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\r', '\n']) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
    }

    public static string When(DateTime at) => at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";
}
