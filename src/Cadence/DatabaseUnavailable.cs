using Cadence.Data;

namespace Cadence;

/// <summary>
/// The answer while the database cannot be reached: 503 with Retry-After, problem details with the code
/// <c>database_unavailable</c> for the API, a plain page for a person in the console.
/// </summary>
public static class DatabaseUnavailable
{
    public const string Code = "database_unavailable";
    const string Title = "Temporarily unavailable";

    public static async Task WriteAsync(HttpContext http, IProblemDetailsService problemDetails, IHtmlErrorPage? htmlPage)
    {
        RetryAfter.Set(http.Response, DatabaseOutage.RetryAfter);
        if (htmlPage?.Serves(http) == true)
        {
            await htmlPage.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, "Cadence is temporarily unavailable",
                "Its database cannot be reached at the moment. Nothing you sent was lost; wait a minute and reload the page.");
            return;
        }
        await Problems.WriteAsync(problemDetails, http, StatusCodes.Status503ServiceUnavailable, Title,
            "The database cannot be reached at the moment. Try again shortly (a send retried with the same Idempotency-Key texts nobody twice).", Code);
    }
}
