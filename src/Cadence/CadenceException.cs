namespace Cadence;

/// <summary>
/// A request that cannot be carried out, with a message meant for the person who made it.
/// The CLI prints it; the HTTP API turns it into problem details.
/// </summary>
public class CadenceException(string message, int statusCode = 400, string? code = null) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    /// <summary>The problem's machine-readable code; by default one for the status.</summary>
    public string? Code { get; } = code;

    /// <summary>For a 429 or 503: when trying again can succeed; sent as Retry-After.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
