using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Cadence.Console.Sso;

public static class SsoExtensions
{
    /// <summary>
    /// Console sign-in through the organization's OpenID Connect provider, when Cadence:Sso is configured:
    /// authorization code flow with PKCE, the framework's state, nonce and correlation checks.
    /// </summary>
    public static IServiceCollection AddConsoleSso(this IServiceCollection services, IConfiguration configuration)
    {
        // Read here, not through IOptions: whether the scheme exists at all depends on it.
        var settings = configuration.GetSection("Cadence:Sso").Get<SsoSettings>() ?? new SsoSettings();
        settings.Validate();
        services.AddSingleton(settings);
        services.AddScoped<SsoSignIn>();
        if (!settings.Enabled)
        {
            return services;
        }
        services.AddAuthentication().AddOpenIdConnect(SsoDefaults.Scheme, settings.DisplayName, o =>
        {
            o.Authority = settings.Authority;
            o.ClientId = settings.ClientId;
            o.ClientSecret = string.IsNullOrEmpty(settings.ClientSecret) ? null : settings.ClientSecret;
            o.RequireHttpsMetadata = !settings.IsLoopbackHttp;
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.UsePkce = true;
            // The answer comes back as a top-level GET, so SameSite=Lax correlation and nonce cookies go with it over
            // plain http too; form_post would need SameSite=None, which browsers take only with Secure.
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.CorrelationCookie.SameSite = SameSiteMode.Lax;
            o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.NonceCookie.SameSite = SameSiteMode.Lax;
            o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Scope.Clear();
            foreach (var scope in settings.Scopes)
            {
                o.Scope.Add(scope);
            }
            // Claims keep their OpenID Connect names (sub, iss, email), which is what SsoSignIn reads.
            o.MapInboundClaims = false;
            o.GetClaimsFromUserInfoEndpoint = true;
            // The handler's default claim actions delete "iss" once it has read the userinfo endpoint (every real
            // provider has one); SsoSignIn needs it. And email_verified may come only from userinfo.
            o.ClaimActions.Remove("iss");
            o.ClaimActions.MapUniqueJsonKey("email_verified", "email_verified");
            o.SaveTokens = true;
            o.CallbackPath = SsoDefaults.CallbackPath;
            o.SignedOutCallbackPath = SsoDefaults.SignedOutCallbackPath;
            o.SignedOutRedirectUri = "/login";
            // Never used to hold a session: OnTicketReceived starts the console's own session row and answers itself.
            o.SignInScheme = ConsoleDefaults.Scheme;
            o.BackchannelTimeout = TimeSpan.FromSeconds(15);
            o.DisableTelemetry = true;
            o.Events.OnTicketReceived = SsoEvents.TicketReceivedAsync;
            o.Events.OnRemoteFailure = SsoEvents.RemoteFailureAsync;
            o.Events.OnRedirectToIdentityProviderForSignOut = SsoEvents.SignOutAsync;
            // Remote (front-channel) sign-out is not supported: console sessions carry no sid, so the handler would
            // drop the cookie on any cross-site GET of /signout-oidc without a check. Answered and ignored.
            o.Events.OnRemoteSignOut = context =>
            {
                context.HandleResponse();
                return Task.CompletedTask;
            };
        });
        return services;
    }
}
