using Cadence.Console.Sso;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace Cadence.Console.Pages;

public sealed class LogoutModel(ConsoleSessions sessions, SsoSettings sso) : ConsolePage
{
    public IActionResult OnGet() => RedirectToPage("/Index");

    /// <summary>
    /// Ends the session row as well as the cookie: a copy of the cookie no longer works either. A session that
    /// came from the provider also ends the provider's session, when it offers an end-session endpoint.
    /// </summary>
    public async Task<IActionResult> OnPostAsync()
    {
        var idToken = sso.Enabled ? await ConsoleSessions.IdTokenAsync(HttpContext) : null;
        await sessions.SignOutAsync(HttpContext);
        if (idToken is null || await SsoEvents.EndSessionEndpointAsync(HttpContext) is null)
        {
            return Redirect("/login");
        }
        var properties = new AuthenticationProperties { RedirectUri = "/login" };
        properties.Parameters[SsoDefaults.IdTokenHintParameter] = idToken;
        return SignOut(properties, SsoDefaults.Scheme);
    }
}
