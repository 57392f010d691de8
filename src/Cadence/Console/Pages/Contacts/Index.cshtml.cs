using Cadence.Contacts;
using Cadence.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Console.Pages.Contacts;

/// <summary>A team's contacts: search by name, unique campus id or mobile number, a bounded page of matches.</summary>
public sealed class IndexModel(CadenceDb db) : TeamPage(db)
{
    public const int MaxRows = 50;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    public List<Contact> Contacts { get; set; } = [];

    /// <summary>How many contacts match in all; more than <see cref="MaxRows"/> means the search should be narrowed.</summary>
    public int Matches { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!await OpenTeamAsync())
        {
            return Page();
        }
        var contacts = Db.Contacts.AsNoTracking().Where(c => c.TeamId == Team!.Id && c.OrganizationId == Me.OrganizationId);
        var text = Query?.Trim();
        if (!string.IsNullOrEmpty(text))
        {
            text = TextCut.Prefix(text, 100);
            // Lower() on both sides: LIKE and instr differ in case rules between SQLite and PostgreSQL.
            var lower = text.ToLowerInvariant();
            var mobile = PhoneNumber.TryNormalize(text, out var normalized) ? normalized : null;
            contacts = contacts.Where(c => c.MobileNumber == mobile
                || c.MobileNumber.Contains(text)
                || c.UniqueCampusId.ToLower().Contains(lower)
                || (c.FirstName + " " + c.LastName).ToLower().Contains(lower)
                || (c.LastName + ", " + c.FirstName).ToLower().Contains(lower));
        }
        Matches = await contacts.CountAsync(HttpContext.RequestAborted);
        Contacts = await contacts.OrderBy(c => c.LastName).ThenBy(c => c.FirstName).ThenBy(c => c.UniqueCampusId).Take(MaxRows)
            .ToListAsync(HttpContext.RequestAborted);
        return Page();
    }
}
