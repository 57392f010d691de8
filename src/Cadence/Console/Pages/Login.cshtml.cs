using Cadence.Data;
using Cadence.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Console.Pages;

/// <summary>The sign-in form. Its body is small (see <see cref="ConsoleFormLimits"/>): a bigger one is a 413 page.</summary>
[SmallForm]
[RequestFormLimits(ValueLengthLimit = ConsoleFormLimits.MaxValueLength, ValueCountLimit = ConsoleFormLimits.MaxValueCount, KeyLengthLimit = ConsoleFormLimits.MaxKeyLength)]
public sealed class LoginModel(CadenceDb db, UserService users, ConsoleSessions sessions, LoginThrottle throttle) : PageModel
{
    [BindProperty] public string Email { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var address = HttpContext.Connection.RemoteIpAddress;
        var organization = await db.Organizations.SingleAsync(HttpContext.RequestAborted);
        var (user, wait) = await throttle.GuardAsync(Email, address,
            () => users.CheckPasswordAsync(organization.Id, Email, Password, address?.ToString(), HttpContext.RequestAborted));
        if (wait > TimeSpan.Zero)
        {
            Error = $"Too many failed sign-ins. Try again in {Math.Ceiling(wait.TotalSeconds)} seconds.";
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Page();
        }
        if (user is null)
        {
            // One answer for an unknown email, a wrong password and a disabled user.
            Error = "That email and password do not match an account.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        await sessions.SignInAsync(HttpContext, user);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
