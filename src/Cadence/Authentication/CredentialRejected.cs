namespace Cadence.Authentication;

/// <summary>Why a request's credential was not accepted: the status, problem details and machine-readable code to answer with.</summary>
public sealed class CredentialRejected(int status, string code, string title, string detail, TimeSpan? retryAfter = null) : Exception(detail)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
    public string Title { get; } = title;
    public TimeSpan? RetryAfter { get; } = retryAfter;

    public static readonly CredentialRejected Missing = new(401, "credentials_missing", "Authentication required",
        "Send your API key and secret with HTTP Basic authentication (curl -u KEY:SECRET) or in the X-Api-Key and X-Api-Secret headers.");

    // One answer for an unknown key and a wrong secret, so the answer does not tell which keys exist.
    public static readonly CredentialRejected Invalid = new(401, "credentials_invalid", "Invalid credentials",
        "The API key or secret is not valid.");

    public static readonly CredentialRejected InQueryString = new(400, "credentials_in_url", "Credentials in the URL",
        "Send credentials in request headers, never in the URL, where they end up in logs and browser history. " +
        "If a real secret was sent this way, roll it.");

    public static CredentialRejected Malformed(string detail) => new(401, "credentials_malformed", "Malformed credentials", detail);

    public static CredentialRejected Revoked(DateTime at) => new(401, "credential_revoked", "Credential revoked",
        $"This API credential was revoked at {at:yyyy-MM-dd HH:mm:ss}Z and no longer works. Ask an administrator for a new one.");

    public static CredentialRejected Expired(DateTime at) => new(401, "credential_expired", "Credential expired",
        $"This API credential expired at {at:yyyy-MM-dd HH:mm:ss}Z. Ask an administrator for a new one.");

    public static CredentialRejected Superseded(DateTime? rolledAt) => new(401, "secret_superseded", "Secret replaced",
        $"This secret was replaced by a new one{(rolledAt is { } at ? $" at {at:yyyy-MM-dd HH:mm:ss}Z" : "")} and its grace period is over. Use the new secret.");

    public static CredentialRejected Throttled(TimeSpan retryAfter) => new(429, "auth_throttled", "Too many failed attempts",
        $"Too many failed authentication attempts from your address. Try again in {(int)Math.Ceiling(retryAfter.TotalSeconds)} seconds.", retryAfter);
}
