namespace Cadence.Authentication;

/// <summary>
/// Every client-API answer (/v2/…), success or problem, says <c>Cache-Control: no-store</c> (it holds student
/// data, and a shared cache or a browser must keep none of it) and <c>X-Content-Type-Options: nosniff</c> (a JSON
/// answer is never run as a script or page).
/// </summary>
public static class ApiResponseHeaders
{
    public static bool IsApiPath(PathString path) => path.StartsWithSegments("/v2");

    static void Set(HttpResponse response)
    {
        var headers = response.Headers;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
    }

    /// <summary>Sets the headers as an API request comes in: two header writes, no callback per request.</summary>
    public static IApplicationBuilder UseApiResponseHeaders(this IApplicationBuilder app) => app.Use(static (context, next) =>
    {
        if (IsApiPath(context.Request.Path))
        {
            Set(context.Response);
        }
        return next(context);
    });

    /// <summary>
    /// The exception handler clears the response (headers too) before it writes its problem details, so every
    /// problem details answer on an API path sets them again.
    /// </summary>
    public static IServiceCollection AddApiResponseHeaders(this IServiceCollection services) =>
        services.PostConfigure<ProblemDetailsOptions>(o =>
        {
            var earlier = o.CustomizeProblemDetails;
            o.CustomizeProblemDetails = context =>
            {
                earlier?.Invoke(context);
                if (IsApiPath(context.HttpContext.Request.Path) && !context.HttpContext.Response.HasStarted)
                {
                    Set(context.HttpContext.Response);
                }
            };
        });
}
