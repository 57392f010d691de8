using Cadence.Contacts;
using Cadence.Data;
using Cadence.Messages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Console.Pages.Messages;

/// <summary>A team's message log, newest first, and a form to text one contact through the same sender as the API.</summary>
public sealed class IndexModel(CadenceDb db, MessageSender sender) : TeamPage(db)
{
    public const int MaxRows = 100;

    /// <param name="Text">The body as this user may see it (see <see cref="HiddenValues"/>).</param>
    public sealed record Row(Message Message, string? CampusId, string? Name, string Text = "");

    public List<Row> Log { get; set; } = [];

    /// <summary>A contact's unique campus id or mobile number.</summary>
    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty]
    public string? Text { get; set; }

    /// <summary>True while a text is still on its way, so the page refreshes itself to show the outcome.</summary>
    public bool Pending => Log.Any(r => r.Message.Status is MessageStatus.Queued or MessageStatus.Sending);

    public async Task<IActionResult> OnGetAsync()
    {
        if (await OpenTeamAsync())
        {
            await LoadAsync();
        }
        return Page();
    }

    public async Task<IActionResult> OnPostSendAsync()
    {
        if (!await OpenTeamAsync())
        {
            return Page();
        }
        var team = Team!;
        var sent = await TryAsync(async () =>
        {
            var to = To?.Trim() ?? "";
            if (to.Length == 0)
            {
                throw new CadenceException("Give a contact's campus id or mobile number in To.");
            }
            // Staff do not see fields hidden from them, so they may not have them merged into a text they then read.
            var hidden = await FieldsHiddenFromMeAsync();
            if (MessageText.MergeFieldNames(Text ?? "").FirstOrDefault(hidden.Contains) is { } name)
            {
                throw new CadenceException($"{{{name}}} is hidden from staff: only the admins of {team.DepartmentCode} may use it in a text.");
            }
            // A campus id wins over reading the text as a number: campus ids may be all digits.
            var isCampusId = await Db.Contacts.AnyAsync(c => c.TeamId == team.Id && c.UniqueCampusId == to, HttpContext.RequestAborted);
            var recipient = isCampusId || !PhoneNumber.TryNormalize(to, out _) ? new Recipient(null, to) : new Recipient(to, null);
            var message = await sender.SendOneAsync(team, recipient, Text, Me.StaffId, null, null, HttpContext.RequestAborted);
            Notice = $"Queued text {message.Id} to {message.MobileNumber}. Its status below updates as the carrier reports it.";
        });
        if (sent)
        {
            // Post, redirect, get: reloading the page must not text the student again.
            return RedirectToPage(new { team = team.DepartmentCode });
        }
        await LoadAsync();
        return Page();
    }

    async Task LoadAsync()
    {
        var team = Team!;
        Log = await Db.Messages.AsNoTracking().Where(m => m.TeamId == team.Id && m.OrganizationId == Me.OrganizationId)
            .OrderByDescending(m => m.Id).Take(MaxRows)
            .Select(m => new Row(m,
                Db.Contacts.Where(c => c.Id == m.ContactId && c.TeamId == team.Id).Select(c => c.UniqueCampusId).FirstOrDefault(),
                Db.Contacts.Where(c => c.Id == m.ContactId && c.TeamId == team.Id).Select(c => c.FirstName + " " + c.LastName).FirstOrDefault()))
            .ToListAsync(HttpContext.RequestAborted);
        var hidden = await HiddenValues.LoadAsync(Db, team.Id, await FieldsHiddenFromMeAsync(), Log.Select(r => r.Message), HttpContext.RequestAborted);
        Log = [.. Log.Select(r => r with { Text = hidden.Text(r.Message) })];
    }
}
