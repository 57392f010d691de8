using Cadence.Audit;
using Cadence.Console.Inbox;
using Cadence.Data;
using Cadence.Inbox;
using Cadence.Messages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Console.Pages.Inbox;

/// <summary>A team's saved replies: its admins add and delete them, everyone in the team inserts them into replies.</summary>
public sealed class TemplatesModel(CadenceDb db, TimeProvider time) : TeamPage(db)
{
    public const int MaxTemplates = 100;

    public List<MessageTemplate> Templates { get; set; } = [];

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Body { get; set; }

    public bool MayEdit => Team is { } team && Me.Administers(team.Id);

    public async Task OnGetAsync()
    {
        if (await OpenTeamAsync())
        {
            await LoadAsync();
        }
    }

    public async Task<IActionResult> OnPostAddAsync()
    {
        if (!await OpenTeamAsync())
        {
            return Page();
        }
        var team = Team!;
        var added = await TryAsync(async () =>
        {
            RequireAdmin();
            var name = Name?.Trim() ?? "";
            if (name.Length is 0 or > MessageTemplate.MaxNameLength)
            {
                throw new CadenceException($"A template's name has 1 to {MessageTemplate.MaxNameLength} characters.");
            }
            MessageText.Validate(Body, MessageText.MaxReplyLength);
            var fields = await Db.CustomFields.AsNoTracking().Where(f => f.TeamId == team.Id).ToListAsync(HttpContext.RequestAborted);
            MessageText.CheckMergeFields(Body!, fields);
            if (await Db.MessageTemplates.CountAsync(t => t.TeamId == team.Id, HttpContext.RequestAborted) >= MaxTemplates)
            {
                throw new CadenceException($"A team has at most {MaxTemplates} templates; delete one first.");
            }
            if (await Db.MessageTemplates.AnyAsync(t => t.TeamId == team.Id && t.Name == name, HttpContext.RequestAborted))
            {
                throw new CadenceException($"Team {team.DepartmentCode} has a template named '{name}' already.", StatusCodes.Status409Conflict);
            }
            var now = time.GetUtcNow().UtcDateTime;
            Db.MessageTemplates.Add(new MessageTemplate { TeamId = team.Id, Name = name, Body = Body!, CreatedAt = now });
            Db.Record(team.OrganizationId, Actor, "template.added", $"{team.DepartmentCode}/{name}", now);
            await Db.SaveChangesAsync(HttpContext.RequestAborted);
            Notice = $"Template '{name}' added.";
        });
        if (added)
        {
            return RedirectToPage(new { team = team.DepartmentCode });
        }
        HttpContext.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id)
    {
        if (!await OpenTeamAsync())
        {
            return Page();
        }
        var team = Team!;
        if (await TryAsync(async () =>
            {
                RequireAdmin();
                var template = await Db.MessageTemplates.SingleOrDefaultAsync(t => t.Id == id && t.TeamId == team.Id, HttpContext.RequestAborted)
                    ?? throw new CadenceException("There is no such template.", StatusCodes.Status404NotFound);
                Db.MessageTemplates.Remove(template);
                Db.Record(team.OrganizationId, Actor, "template.deleted", $"{team.DepartmentCode}/{template.Name}", time.GetUtcNow().UtcDateTime);
                await Db.SaveChangesAsync(HttpContext.RequestAborted);
                Notice = $"Template '{template.Name}' deleted.";
            }))
        {
            return RedirectToPage(new { team = team.DepartmentCode });
        }
        HttpContext.Response.StatusCode = StatusCodes.Status403Forbidden;
        await LoadAsync();
        return Page();
    }

    void RequireAdmin()
    {
        if (!MayEdit)
        {
            throw new CadenceException($"Only the admins of {Team!.DepartmentCode} manage its templates.", StatusCodes.Status403Forbidden);
        }
    }

    async Task LoadAsync() =>
        Templates = await Db.MessageTemplates.AsNoTracking().Where(t => t.TeamId == Team!.Id).OrderBy(t => t.Name).Take(MaxTemplates).ToListAsync(HttpContext.RequestAborted);
}
