using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace Cadence.Authentication;

/// <summary>
/// Whose X-Forwarded-For and X-Forwarded-Proto are believed: only the proxies and ranges named in
/// Cadence:TrustedProxies. The framework on its own also trusts loopback (127.0.0.0/8 and ::1), which would let
/// any client on the host, or a same-host proxy that passes the header through, pick the address that the
/// failure throttles, the audit log and a credential's last use record.
/// </summary>
public static class TrustedProxies
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration configuration)
    {
        // Parsed here, at start, so that a wrong entry stops the server with its name rather than on a first request.
        var networks = IpRanges.Parse(configuration.GetSection("Cadence:TrustedProxies").Get<string[]>() ?? [], "Cadence:TrustedProxies");
        return services.Configure<ForwardedHeadersOptions>(o =>
        {
            // Empty lists would mean "trust every sender" to the middleware, so with none configured it reads no header at all.
            o.ForwardedHeaders = networks.Count == 0 ? ForwardedHeaders.None : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // the old list still holds 127.0.0.0/8 by default; emptied in case it is still read
            o.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var network in networks)
            {
                o.KnownIPNetworks.Add(network);
            }
        });
    }
}
