using Cadence.Data;
using Cadence.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Console.Pages.Account;

/// <summary>The signed-in person's own account: their details and a password change.</summary>
public sealed class IndexModel(CadenceDb db, UserService users, LoginThrottle throttle) : ConsolePage
{
    [BindProperty] public string CurrentPassword { get; set; } = "";
    [BindProperty] public string NewPassword { get; set; } = "";

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var address = HttpContext.Connection.RemoteIpAddress?.ToString();
        // The current password is asked for, so a borrowed open session cannot take the account over; and
        // guessing it here counts against the same throttle as the sign-in form.
        if (throttle.WaitFor(Me.Email, address) is { } wait && wait > TimeSpan.Zero)
        {
            Error = $"Too many wrong passwords. Try again in {Math.Ceiling(wait.TotalSeconds)} seconds.";
            return Page();
        }
        throttle.Attempt(Me.Email, address);
        var organization = await db.Organizations.SingleAsync(HttpContext.RequestAborted);
        if (await users.CheckPasswordAsync(organization.Id, Me.Email, CurrentPassword, HttpContext.RequestAborted) is null)
        {
                        Error = "The current password is not right.";
            return Page();
        }
        throttle.Succeeded(Me.Email, address);
        if (await TryAsync(() => users.SetPasswordAsync(Me.OrganizationId, Me.Email, NewPassword, Actor, Me.SessionId, HttpContext.RequestAborted)))
        {
            Notice = "Your password is changed. Your other sessions have ended.";
            return RedirectToPage();
        }
        return Page();
    }
}
