using Cadence.Data;
using Cadence.Email;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Cadence.Console.Pages.Teams;

/// <summary>A team's notification emails: who hears of opt-out changes and texts from unknown numbers. Its admins and owners set them.</summary>
[SmallForm]
public sealed class NotificationsModel(CadenceDb db, IOptions<SmtpSettings> smtp, TimeProvider time) : TeamPage(db)
{
    [BindProperty] public string Addresses { get; set; } = "";
    [BindProperty] public bool OptOutChanges { get; set; }
    [BindProperty] public bool UnknownNumbers { get; set; }

    public bool MayChange => Team is not null && Me.Administers(Team.Id);

    public bool EmailOff => !smtp.Value.Enabled;

    public async Task OnGetAsync()
    {
        if (await OpenTeamAsync())
        {
            await ShowAsync();
        }
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await OpenTeamAsync())
        {
            return Page();
        }
        if (!MayChange)
        {
            Error = $"Only the admins of {Team!.DepartmentCode} and owners change its notifications.";
            Response.StatusCode = StatusCodes.Status403Forbidden;
            await ShowAsync();
            return Page();
        }
        if (await TryAsync(() => TeamNotifications.SaveAsync(Db, Team!, Addresses, OptOutChanges, UnknownNumbers, Actor, time.GetUtcNow().UtcDateTime,
                HttpContext.RequestAborted)))
        {
            Notice = $"Saved the notifications of {Team!.DepartmentCode}.";
            return RedirectToPage(new { team = Team.DepartmentCode });
        }
        return Page();
    }

    async Task ShowAsync()
    {
        var saved = await TeamNotifications.ReadAsync(Db, Team!, HttpContext.RequestAborted);
        Addresses = string.Join('\n', saved.AddressList);
        OptOutChanges = saved.OptOutChanges;
        UnknownNumbers = saved.UnknownNumbers;
    }
}
