using Microsoft.AspNetCore.Mvc;

namespace Cadence.Console.Pages;

public sealed class LogoutModel(ConsoleSessions sessions) : ConsolePage
{
    public IActionResult OnGet() => RedirectToPage("/Index");

    /// <summary>Ends the session row as well as the cookie: a copy of the cookie no longer works either.</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        await sessions.SignOutAsync(HttpContext);
        return Redirect("/login");
    }
}
