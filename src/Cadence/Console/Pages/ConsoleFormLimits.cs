using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Cadence.Console.Pages;

/// <summary>
/// Limits for the forms anyone can post without signing in (/login, /setup). The framework's defaults (30 MB
/// bodies, 4 MiB values) let an anonymous client make the server hold megabytes per try; these forms hold a few
/// short fields (email, name, staff id, a password of at most 1,024 characters, the antiforgery token).
/// </summary>
public static class ConsoleFormLimits
{
    public const int MaxBodyBytes = 16 * 1024;
    public const int MaxValueLength = 4 * 1024;
    public const int MaxValueCount = 16;
    public const int MaxKeyLength = 64;
}

/// <summary>
/// Caps the request body at <see cref="ConsoleFormLimits.MaxBodyBytes"/>. A declared length above it is answered
/// at once with the console's 413 page, before the antiforgery check reads anything (which would say only "not
/// accepted"); a body without a declared length is stopped by the server where it passes the cap.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class SmallFormAttribute : Attribute, IAsyncAuthorizationFilter, IOrderedFilter
{
    // Before the antiforgery filter (1000), as the framework's own RequestSizeLimit (900).
    public int Order => 800;

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        var http = context.HttpContext;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = ConsoleFormLimits.MaxBodyBytes;
        }
        if (http.Request.ContentLength > ConsoleFormLimits.MaxBodyBytes)
        {
            await ConsoleErrors.WriteAsync(http, StatusCodes.Status413PayloadTooLarge, "Too large",
                "This form holds far more than its fields can. Go back, check what was pasted into it, and try again.");
            context.Result = new Microsoft.AspNetCore.Mvc.EmptyResult();
        }
    }
}
