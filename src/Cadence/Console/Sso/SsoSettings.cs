namespace Cadence.Console.Sso;

/// <summary>Who may still sign in with a password once single sign-on is on.</summary>
public enum PasswordSignIn { Everyone, Owners, None }

/// <summary>The "Cadence:Sso" settings: console sign-in through the campus OpenID Connect provider.</summary>
public sealed class SsoSettings
{
    /// <summary>The provider's issuer URL; its /.well-known/openid-configuration is read from here.</summary>
    public string? Authority { get; set; }

    /// <summary>
    /// Believe an email address the provider sends without <c>email_verified</c> (off by default). Only for a
    /// provider whose addresses administrators alone assign, such as a single-tenant Entra ID with
    /// <c>EmailClaim=upn</c>; otherwise someone who can set their own address at the provider could take over a user.
    /// </summary>
    public bool TrustUnverifiedEmail { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>The button's text after "Sign in with".</summary>
    public string DisplayName { get; set; } = "single sign-on";
    public string[] Scopes { get; set; } = ["openid", "profile", "email"];

    /// <summary>The claim holding the address; when empty, email, then preferred_username, then upn.</summary>
    public string? EmailClaim { get; set; }

    /// <summary>A team code: unknown identities become Users of that team. Empty: they are refused.</summary>
    public string? CreateUsers { get; set; }
    public PasswordSignIn PasswordSignIn { get; set; } = PasswordSignIn.Everyone;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);

    /// <summary>The claims tried, in order, for the user's address.</summary>
    public string[] EmailClaims => string.IsNullOrWhiteSpace(EmailClaim) ? ["email", "preferred_username", "upn"] : [EmailClaim.Trim()];

    /// <summary>
    /// Plain http is allowed only for a provider on this machine (a test or a local provider); anywhere else
    /// the metadata, keys and tokens must come over TLS.
    /// </summary>
    public bool IsLoopbackHttp => Uri.TryCreate(Authority, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback;

    /// <summary>Refuses a setting that would fail later, at someone's sign-in, with a message saying which.</summary>
    public void Validate()
    {
        if (!Enabled)
        {
            if (PasswordSignIn != PasswordSignIn.Everyone)
            {
                throw new CadenceException("Cadence:Sso:PasswordSignIn limits password sign-in only when Cadence:Sso:Authority and ClientId are set.");
            }
            return;
        }
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !IsLoopbackHttp))
        {
            throw new CadenceException("Cadence:Sso:Authority must be an https:// URL (http:// only for a provider on localhost).");
        }
        if (!Scopes.Contains("openid"))
        {
            throw new CadenceException("Cadence:Sso:Scopes must include openid.");
        }
    }
}
