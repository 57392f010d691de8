namespace Cadence.Console.Sso;

public static class SsoDefaults
{
    /// <summary>The OpenID Connect scheme; it never holds a session itself (see SsoSignIn).</summary>
    public const string Scheme = "Sso";
    public const string CallbackPath = "/signin-oidc";
    public const string SignedOutCallbackPath = "/signout-callback-oidc";

    /// <summary>Where the sign-out passes the id token to the handler's event (never into the state parameter).</summary>
    public const string IdTokenHintParameter = "id_token_hint";
}
