using Cadence.Contacts;
using Cadence.Data;
using Microsoft.AspNetCore.Mvc;

namespace Cadence.Console.Pages.Contacts;

/// <summary>
/// The manual import: a CSV file goes through the same reader, importer and gate as the API's CSV import,
/// under the same size limit, and the batch's row report is shown.
/// </summary>
[RequestSizeLimit(ContactsApi.MaxImportBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = ContactsApi.MaxImportBytes)]
public sealed class UploadModel(CadenceDb db, ContactImporter importer, ImportGate gate) : TeamPage(db)
{
    [BindProperty]
    public IFormFile? CsvFile { get; set; }

    public ImportReport? Report { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        await OpenTeamAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await OpenTeamAsync())
        {
            return Page();
        }
        await TryAsync(async () =>
        {
            if (CsvFile is null || CsvFile.Length == 0)
            {
                throw new CadenceException("Choose a CSV file to upload.");
            }
            // Tab-separated files are accepted as the API accepts them; anything else is read as CSV.
            var tabs = CsvFile.FileName.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) || CsvFile.ContentType == "text/tab-separated-values";
            // The form's file is already received (buffered to disk past 64 KiB by ASP.NET Core), so the slot
            // is taken after it, and the rows are read from it one at a time.
            using var source = CsvContactReader.Open(CsvFile.OpenReadStream(), tabs ? '\t' : ',');
            using var slot = await gate.EnterAsync(HttpContext.RequestAborted);
            var batch = await importer.ImportAsync(Team!, source, new("import", Actor), HttpContext.RequestAborted);
            Report = batch.AsReport(Team!.DepartmentCode);
        });
        return Page();
    }
}
