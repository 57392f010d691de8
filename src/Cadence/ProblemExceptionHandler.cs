using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace Cadence;

/// <summary>
/// Turns the exceptions that mean "bad request" into problem details: a <see cref="CadenceException"/> with
/// its status, a body too large or malformed as Kestrel saw it, a write that lost a race on a unique key, and
/// a database that cannot be reached (503, <see cref="DatabaseUnavailable"/>). Anything else stays a 500 without details.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problemDetails, IHtmlErrorPage? htmlPage = null) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        // Checked first: a lost database surfaces wherever a request touched it (authentication, a handler, a commit).
        if (DatabaseOutage.Is(exception))
        {
            await DatabaseUnavailable.WriteAsync(http, problemDetails, htmlPage);
            return true;
        }
        var (status, title, detail, code) = exception switch
        {
            CadenceException e => (e.StatusCode, Title(e.StatusCode), e.Message, e.Code ?? e.StatusCode switch
            {
                403 => "forbidden",
                404 => "not_found",
                409 => "conflict",
                422 => "unprocessable",
                429 => "limit_reached",
                413 => "too_large",
                415 => "unsupported_media_type",
                _ => "invalid_request",
            }),
            // Reworded: the framework's own messages name .NET types.
            BadHttpRequestException e => (e.StatusCode, Title(e.StatusCode), e.StatusCode == 413
                ? "The request body is larger than this call accepts." : RequestErrors.Describe(e, BodyType(http)), e.StatusCode switch
                {
                    413 => "too_large",
                    415 => "unsupported_media_type",
                    _ => "bad_request",
                }),
            // Only a lost race on a unique key is the client's to retry; any other database failure stays a 500.
            _ when IsUniqueViolation(exception) => (409, "Conflict", "Another request changed the same records at the same time. Try again.", "conflict"),
            // PostgreSQL stores no NUL character (U+0000) in text; nothing was written.
            _ when IsUnstorableText(exception) => (400, "Invalid request",
                "The request holds a character that cannot be stored (U+0000, the NUL character). Remove it and send again.", "invalid_text"),
            _ => (0, "", "", ""),
        };
        if (status == 0)
        {
            return false;
        }
        if (exception is CadenceException { RetryAfter: { } retryAfter })
        {
            RetryAfter.Set(http.Response, retryAfter);
        }
        if (htmlPage?.Serves(http) == true)
        {
            // A person in a browser: the console's own error page, not JSON.
            await htmlPage.WriteAsync(http, status, title, detail);
            return true;
        }
        await Problems.WriteAsync(problemDetails, http, status, title, detail, code);
        return true;
    }

    /// <summary>The type an endpoint reads its body as (minimal APIs declare it for a bound body parameter).</summary>
    /// (The exception handler has cleared the request's endpoint by now; its feature keeps the one that failed.)
    static Type? BodyType(HttpContext http) => (http.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? http.GetEndpoint())?.Metadata
        .GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType;

    static bool IsUniqueViolation(Exception exception) =>
        (exception as DbUpdateException)?.InnerException is { } inner ? IsUniqueViolation(inner)
        : exception is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 } or Npgsql.PostgresException { SqlState: "23505" };

    static bool IsUnstorableText(Exception exception) =>
        (exception as DbUpdateException)?.InnerException is { } inner ? IsUnstorableText(inner)
        : exception is Npgsql.PostgresException { SqlState: "22021" or "22P05" };

    static string Title(int status) => status switch
    {
        403 => "Forbidden",
        422 => "Unprocessable",
        429 => "Too many requests",
        404 => "Not found",
        409 => "Conflict",
        413 => "Too large",
        415 => "Unsupported media type",
        _ => "Invalid request",
    };
}
