using Cadence.Users;
using Microsoft.AspNetCore.Mvc;

namespace Cadence.Console.Pages.Account;

/// <summary>The signed-in person's own account: their details and a password change.</summary>
public sealed class IndexModel(UserService users, LoginThrottle throttle) : ConsolePage
{
    [BindProperty] public string CurrentPassword { get; set; } = "";
    [BindProperty] public string NewPassword { get; set; } = "";

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var address = HttpContext.Connection.RemoteIpAddress;
        // The current password is asked for, so a borrowed open session cannot take the account over; and
        // guessing it here counts against the same throttle as the sign-in form.
        var (user, wait) = await throttle.GuardAsync(Me.Email, address,
            () => users.CheckPasswordAsync(Me.OrganizationId, Me.Email, CurrentPassword, address?.ToString(), HttpContext.RequestAborted));
        if (wait > TimeSpan.Zero)
        {
            Error = $"Too many wrong passwords. Try again in {Math.Ceiling(wait.TotalSeconds)} seconds.";
            return Page();
        }
        if (user is null)
        {
            Error = "The current password is not right.";
            return Page();
        }
        if (await TryAsync(() => users.SetPasswordAsync(Me.OrganizationId, Me.Email, NewPassword, Actor, Me.SessionId, HttpContext.RequestAborted)))
        {
            Notice = "Your password is changed. Your other sessions have ended.";
            return RedirectToPage();
        }
        return Page();
    }
}
