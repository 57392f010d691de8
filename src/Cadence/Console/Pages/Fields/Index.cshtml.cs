using Cadence.Contacts;
using Cadence.Data;
using Microsoft.AspNetCore.Mvc;

namespace Cadence.Console.Pages.Fields;

/// <summary>A team's custom contact fields. Everyone in the team sees them; its admins and owners add them.</summary>
public sealed class IndexModel(CadenceDb db, CustomFieldService fields) : TeamPage(db)
{
    public List<CustomField> Fields { get; set; } = [];

    [BindProperty] public string Name { get; set; } = "";
    [BindProperty] public bool Required { get; set; }
    [BindProperty] public bool Mergeable { get; set; }
    [BindProperty] public bool HiddenFromStaff { get; set; }

    public bool MayAdd => Team is not null && Me.Administers(Team.Id);

    public async Task OnGetAsync()
    {
        if (await OpenTeamAsync())
        {
            Fields = await fields.ListAsync(Team!, HttpContext.RequestAborted);
        }
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await OpenTeamAsync())
        {
            return Page();
        }
        if (!MayAdd)
        {
            Error = $"Only the admins of {Team!.DepartmentCode} and owners add its fields.";
            Response.StatusCode = StatusCodes.Status403Forbidden;
        }
        else if (await TryAsync(() => fields.AddAsync(Team!, Name, Required, Mergeable, HiddenFromStaff, Actor, HttpContext.RequestAborted)))
        {
            Notice = $"Added the field {Name.Trim()} to {Team!.DepartmentCode}.";
            return RedirectToPage(new { team = Team.DepartmentCode });
        }
        Fields = await fields.ListAsync(Team!, HttpContext.RequestAborted);
        return Page();
    }
}
