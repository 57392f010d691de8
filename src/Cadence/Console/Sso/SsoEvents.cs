using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace Cadence.Console.Sso;

/// <summary>The OpenID Connect handler's events: where the provider's answer becomes a console session, or a clear page.</summary>
public static class SsoEvents
{
    public static async Task TicketReceivedAsync(TicketReceivedContext context)
    {
        var http = context.HttpContext;
        var signIn = http.RequestServices.GetRequiredService<SsoSignIn>();
        var settings = http.RequestServices.GetRequiredService<SsoSettings>();
        var match = await signIn.MatchAsync(context.Principal!, http.Connection.RemoteIpAddress?.ToString(), http.RequestAborted);
        context.HandleResponse();
        if (match.User is null)
        {
            // The page names only what is wrong with the provider's answer ("the provider …"); whether a user exists, is
            // disabled or is linked elsewhere stays in the audit log, so the page cannot be used to probe accounts.
            var reason = match.Refusal is { } r && r.StartsWith("the provider", StringComparison.Ordinal) ? $" ({r})" : "";
            await ConsoleErrors.WriteAsync(http, StatusCodes.Status403Forbidden, "You cannot sign in to Cadence with this account",
                $"{settings.DisplayName} knows you, but Cadence does not let this account in{reason}. Ask an administrator of Cadence to add you.");
            return;
        }
        await http.RequestServices.GetRequiredService<ConsoleSessions>()
            .SignInAsync(http, match.User, signIn.Describe(match.User), context.Properties?.GetTokenValue("id_token"));
        await WriteContinuePageAsync(http, SafeReturn(context.Properties?.RedirectUri), "Signed in", "Continue to the console");
    }

    /// <summary>
    /// A tampered or replayed answer, a refused consent or a provider that does not answer the code exchange:
    /// a page that says so and offers a new start, never the exception page.
    /// </summary>
    public static async Task RemoteFailureAsync(RemoteFailureContext context)
    {
        var http = context.HttpContext;
        var settings = http.RequestServices.GetRequiredService<SsoSettings>();
        http.RequestServices.GetRequiredService<ILogger<SsoSettings>>()
            .LogWarning("A sign-in through {Provider} failed: {Reason}", settings.DisplayName, context.Failure?.Message);
        context.HandleResponse();
        await ConsoleErrors.WriteAsync(http, StatusCodes.Status400BadRequest, $"Sign-in with {settings.DisplayName} did not complete",
            $"The answer from {settings.DisplayName} was not valid, had expired or was already used, or {settings.DisplayName} did not answer. " +
            "Go back to the sign-in page and start again.");
    }

    /// <summary>
    /// Names the session's id token to the provider's end-session endpoint (Okta requires it; the others prefer it),
    /// and goes there from a page rather than by a redirect: the sign-out is a form, and the CSP's form-action 'self'
    /// stops a form's redirect to another site. The state is protected just as the handler would do it.
    /// </summary>
    public static async Task SignOutAsync(RedirectContext context)
    {
        if (context.Properties.Parameters.TryGetValue(SsoDefaults.IdTokenHintParameter, out var hint) && hint is string idToken)
        {
            context.ProtocolMessage.IdTokenHint = idToken;
        }
        context.ProtocolMessage.State = context.Options.StateDataFormat.Protect(context.Properties);
        context.HandleResponse();
        await WriteContinuePageAsync(context.HttpContext, context.ProtocolMessage.CreateLogoutRequestUrl(), "Signing out",
            "Continue to sign out of " + context.HttpContext.RequestServices.GetRequiredService<SsoSettings>().DisplayName);
    }

    /// <summary>The provider's end-session endpoint, or null when it offers none or cannot be reached.</summary>
    public static async Task<string?> EndSessionEndpointAsync(HttpContext http)
    {
        var options = http.RequestServices.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(SsoDefaults.Scheme);
        try
        {
            var configuration = await options.ConfigurationManager!.GetConfigurationAsync(http.RequestAborted);
            return string.IsNullOrEmpty(configuration.EndSessionEndpoint) ? null : configuration.EndSessionEndpoint;
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException)
        {
            return null;
        }
    }

    static string SafeReturn(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : "/";

    /// <summary>
    /// A page that moves on at once by itself. After sign-in: the session cookie is SameSite=Strict, and a browser does
    /// not send it on a redirect chain that began at the provider's site, so the console is opened from this page (a
    /// same-site navigation). At sign-out: see SignOutAsync.
    /// </summary>
    static Task WriteContinuePageAsync(HttpContext http, string url, string title, string link)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        ConsoleExtensions.SetSecurityHeaders(http.Response);
        http.Response.ContentType = "text/html; charset=utf-8";
        var encoder = System.Text.Encodings.Web.HtmlEncoder.Default;
        var (href, heading, text) = (encoder.Encode(url), encoder.Encode(title), encoder.Encode(link));
        return http.Response.WriteAsync($"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={href}">
            <title>{heading} · Cadence</title><link rel="stylesheet" href="/console-assets/console.css"></head>
            <body><main class="narrow"><h1>{heading}</h1><p><a href="{href}">{text}</a></p></main></body></html>
            """);
    }
}
