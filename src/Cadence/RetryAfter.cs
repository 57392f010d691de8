using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cadence;

/// <summary>
/// The one way Cadence says "try again later" (429, 503): a Retry-After header in whole seconds, rounded up so a
/// client that waits as told is never early, and at least 1, since "0" would invite an immediate retry.
/// </summary>
public static class RetryAfter
{
    public static string Seconds(TimeSpan wait) =>
        ((long)Math.Ceiling(Math.Max(1, wait.TotalSeconds))).ToString(CultureInfo.InvariantCulture);

    public static void Set(HttpResponse response, TimeSpan wait) => response.Headers.RetryAfter = Seconds(wait);

    /// <summary>A handler's answer: the header now, problem details with <paramref name="code"/> as its result.</summary>
    public static ProblemHttpResult Problem(HttpResponse response, TimeSpan wait, int status, string title, string detail, string code)
    {
        Set(response, wait);
        return Problems.Result(status, title, detail, code);
    }

    /// <summary>Middleware's answer: the header, the status and problem details with <paramref name="code"/>, written now.</summary>
    public static ValueTask WriteAsync(IProblemDetailsService problemDetails, HttpContext http, TimeSpan wait, int status, string title, string detail, string code)
    {
        Set(http.Response, wait);
        return Problems.WriteAsync(problemDetails, http, status, title, detail, code);
    }
}
