using Cadence.Console.Sso;
using Cadence.Data;
using Cadence.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Console.Pages;

/// <summary>The sign-in form. Its body is small (see <see cref="ConsoleFormLimits"/>): a bigger one is a 413 page.</summary>
[SmallForm]
[RequestFormLimits(ValueLengthLimit = ConsoleFormLimits.MaxValueLength, ValueCountLimit = ConsoleFormLimits.MaxValueCount, KeyLengthLimit = ConsoleFormLimits.MaxKeyLength)]
public sealed class LoginModel(CadenceDb db, UserService users, ConsoleSessions sessions, LoginThrottle throttle, SsoSettings sso,
    ILogger<LoginModel> logger) : PageModel
{
    [BindProperty] public string Email { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    /// <summary>Set by a portal link (`/login?sso=1`): go to the provider at once.</summary>
    [BindProperty(Name = "sso", SupportsGet = true)] public string? StartSso { get; set; }
    public SsoSettings Sso => sso;
    public string SsoStartUrl => Url.IsLocalUrl(ReturnUrl) ? "/login?sso=1&returnUrl=" + Uri.EscapeDataString(ReturnUrl!) : "/login?sso=1";
    public string? Error { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (StartSso is null || !sso.Enabled)
        {
            return Page();
        }
        try
        {
            // The handler reads the provider's metadata before it writes anything, so a provider that is down fails here.
            await HttpContext.ChallengeAsync(SsoDefaults.Scheme, new AuthenticationProperties { RedirectUri = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/" });
            return new EmptyResult();
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException && !HttpContext.RequestAborted.IsCancellationRequested)
        {
            logger.LogWarning("{Provider} could not be reached to start a sign-in: {Reason}", sso.DisplayName, e.Message);
            Error = $"{sso.DisplayName} is not answering, so single sign-on cannot start. Try again in a few minutes" +
                (sso.PasswordSignIn == PasswordSignIn.None ? "." : ", or sign in with your password.");
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Page();
        }
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (sso.PasswordSignIn == PasswordSignIn.None)
        {
            Error = $"Password sign-in is turned off. Sign in with {sso.DisplayName}.";
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        var address = HttpContext.Connection.RemoteIpAddress;
        var organization = await db.Organizations.SingleAsync(HttpContext.RequestAborted);
        var (user, wait) = await throttle.GuardAsync(Email, address, async () =>
        {
            var found = await users.CheckPasswordAsync(organization.Id, Email, Password, address?.ToString(), HttpContext.RequestAborted);
            // Break-glass only: a staff password is refused as a wrong one would be, so the form tells no one it was right.
            return sso.PasswordSignIn == PasswordSignIn.Owners && found is { IsOwner: false } ? null : found;
        });
        if (wait > TimeSpan.Zero)
        {
            Error = $"Too many failed sign-ins. Try again in {Math.Ceiling(wait.TotalSeconds)} seconds.";
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            RetryAfter.Set(Response, wait);
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
