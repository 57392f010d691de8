using Microsoft.Net.Http.Headers;

namespace Cadence;

public static class RequestBody
{
    /// <summary>The request's media type in lower case ("text/csv"), without parameters; null when none was sent.</summary>
    public static string? MediaType(HttpRequest request) =>
        request.ContentType is null ? null
        : MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value?.ToLowerInvariant()
        : request.ContentType.ToLowerInvariant();

    /// <summary>JSON calls take application/json (or no Content-Type at all, as some clients send).</summary>
    public static void RequireJson(HttpRequest request)
    {
        if (MediaType(request) is { } type && type != "application/json")
        {
            throw new CadenceException($"Send JSON with Content-Type: application/json, not {TextCut.Cut(type, 60)}.",
                StatusCodes.Status415UnsupportedMediaType);
        }
    }
}
