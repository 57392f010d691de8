using System.Text.Encodings.Web;
using Microsoft.Net.Http.Headers;

namespace Cadence.Docs;

/// <summary>
/// The API reference at /docs: this server's OpenAPI document rendered by Redoc, which the server ships and
/// serves itself, so the page works with no internet and fetches nothing from another host.
/// </summary>
public static class DocsApi
{
    // Scripts come from this server only: no inline script, no eval (see docs.js for Redoc's search).
    // Redoc injects its styles as <style> elements (styled-components), hence 'unsafe-inline' for styles, on
    // these pages alone; it embeds a font and icons as data: URLs.
    public const string ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    static readonly Lazy<RedocBundle> Bundle = new(RedocBundle.Load);
    static readonly string Page = DocsAssets.Text("docs.html");
    static readonly byte[] Script = DocsAssets.Bytes("docs.js");
    static readonly byte[] Style = DocsAssets.Bytes("docs.css");

    public static IEndpointRouteBuilder MapDocs(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/docs").AllowAnonymous().ExcludeFromDescription();

        // "/docs" also answers "/docs/", the form of the hosted reference's links (…/docs/#operation/Import).
        group.MapGet("", (HttpContext http) =>
        {
            Secure(http.Response, "no-cache");
            var root = HtmlEncoder.Default.Encode(http.Request.PathBase.ToUriComponent());
            return Results.Text(Page.Replace("{base}", root).Replace("{version}", Bundle.Value.Version), "text/html; charset=utf-8");
        });

        group.MapGet("/docs.js", (HttpContext http) =>
        {
            Secure(http.Response, "no-cache");
            return Results.Bytes(Script, "text/javascript; charset=utf-8");
        });

        group.MapGet("/docs.css", (HttpContext http) =>
        {
            Secure(http.Response, "no-cache");
            return Results.Bytes(Style, "text/css; charset=utf-8");
        });

        // The address holds the content's hash, so a browser may keep the 2.3 MB bundle (680 KB compressed) for good.
        group.MapGet("/redoc.{version}.js", (string version, HttpContext http) =>
        {
            var bundle = Bundle.Value;
            if (version != bundle.Version)
            {
                return Results.NotFound();
            }
            Secure(http.Response, "public, max-age=31536000, immutable");
            http.Response.Headers.Vary = HeaderNames.AcceptEncoding;
            if (AcceptsGzip(http.Request))
            {
                http.Response.Headers.ContentEncoding = "gzip";
                return Results.Bytes(bundle.Gzip, "text/javascript; charset=utf-8");
            }
            return Results.Bytes(bundle.Plain, "text/javascript; charset=utf-8");
        });

        return routes;
    }

    /// <summary>The reference's own policy, replacing the console's (whose style-src 'self' Redoc cannot keep).</summary>
    static void Secure(HttpResponse response, string cacheControl)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = cacheControl;
    }

    static bool AcceptsGzip(HttpRequest request) =>
        request.GetTypedHeaders().AcceptEncoding.Any(e => e.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) && e.Quality is not 0);
}
