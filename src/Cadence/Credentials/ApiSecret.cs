namespace Cadence.Credentials;

/// <summary>
/// A credential secret in clear. It exists only between the request header (or its creation) and the
/// hasher; it prints as a redacted placeholder so it cannot leak through a log line or an exception.
/// </summary>
public readonly struct ApiSecret
{
    readonly string value;

    public ApiSecret(string value) => this.value = value;

    /// <summary>The clear text, for showing once at creation and for hashing. Never for logs.</summary>
    public string Reveal() => value;

    public override string ToString() => SecretFormat.SecretPrefix + "…(redacted)";
}
