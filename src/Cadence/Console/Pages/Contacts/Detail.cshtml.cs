using Cadence.Contacts;
using Cadence.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Console.Pages.Contacts;

/// <summary>One contact of a team: its fields, custom fields, opt-out status and every change of it.</summary>
public sealed class DetailModel(CadenceDb db) : TeamPage(db)
{
    public Contact? Contact { get; set; }

    /// <summary>Custom field values this user may see: fields hidden from staff only for the team's admins.</summary>
    public List<KeyValuePair<string, string>> Fields { get; set; } = [];

    public List<OptOutChange> History { get; set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (!await OpenTeamAsync())
        {
            return Page();
        }
        var team = Team!;
        // Scoped by team in the query: an id from another team is simply not found here.
        Contact = await Db.Contacts.AsNoTracking()
            .SingleOrDefaultAsync(c => c.Id == id && c.TeamId == team.Id && c.OrganizationId == Me.OrganizationId, HttpContext.RequestAborted);
        if (Contact is null)
        {
            Error = $"Team {team.DepartmentCode} has no such contact.";
            HttpContext.Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        var hidden = await FieldsHiddenFromMeAsync();
        Fields = CustomFieldValues.Parse(Contact.CustomFields)
            .Where(f => !hidden.Contains(f.Key))
            .OrderBy(f => f.Key, StringComparer.OrdinalIgnoreCase).ToList();
        History = await Db.OptOutChanges.AsNoTracking().Where(o => o.ContactId == Contact.Id && o.TeamId == team.Id)
            .OrderByDescending(o => o.At).ThenByDescending(o => o.Id).Take(100).ToListAsync(HttpContext.RequestAborted);
        return Page();
    }

    /// <summary>What each source of an opt-out change means to a reader.</summary>
    public static string Describe(string source) => source switch
    {
        "keyword" => "the student's reply (keyword)",
        "import" => "an import",
        "api" => "the API",
        "console" => "staff in the console (inbox)",
        _ => source,
    };
}
