namespace Cadence;

/// <summary>
/// The answer to a person in a browser instead of problem details. The console provides it (registered by
/// AddConsole); the root error types ask through this interface because the console sits above them and they
/// must not call it. Without one registered, every error is problem details.
/// </summary>
public interface IHtmlErrorPage
{
    /// <summary>Whether the request came from a page a person reads (not the client API, health or webhooks).</summary>
    bool Serves(HttpContext http);

    Task WriteAsync(HttpContext http, int status, string title, string detail);
}
