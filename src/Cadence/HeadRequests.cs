namespace Cadence;

/// <summary>
/// HEAD (curl -I, monitoring probes) answers exactly as GET does, without the body: the same endpoint,
/// authentication, status and headers. Done once, before routing, rather than on each GET endpoint.
/// </summary>
public static class HeadRequests
{
    public static IApplicationBuilder UseHeadAsGet(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (HttpMethods.IsHead(context.Request.Method))
        {
            // Routing, authorization and the handlers see a GET. Kestrel keeps the method of the request line
            // for itself, so it still sends no body (it drops what the handler writes) and keeps the headers.
            context.Request.Method = HttpMethods.Get;
        }
        return next(context);
    });
}
