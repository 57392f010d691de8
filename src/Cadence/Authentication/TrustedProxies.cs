using System.Net;
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
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, CadenceSettings settings)
    {
        // Parsed here, at start, so that a wrong entry stops the server with its name rather than on a first request.
        var networks = Parse(settings.TrustedProxies);
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

    /// <summary>Addresses (a /32 or /128) and CIDR ranges; an entry may hold several, separated by commas or spaces.</summary>
    public static IReadOnlyList<IPNetwork> Parse(IEnumerable<string> entries, string setting = "Cadence:TrustedProxies")
    {
        var networks = new List<IPNetwork>();
        foreach (var text in entries.SelectMany(e => e.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (IPAddress.TryParse(text, out var address) && !text.Contains('/'))
            {
                networks.Add(new IPNetwork(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else if (IPNetwork.TryParse(text, out var network))
            {
                networks.Add(network);
            }
            else
            {
                throw new CadenceException($"{setting} holds '{(text.Length > 64 ? text[..64] + "…" : text)}', which is neither an IP address " +
                    "(10.0.0.5, fd00::5) nor a CIDR range (10.0.0.0/24, fd00::/64)." +
                    (setting == "Cadence:TrustedProxies" ? " Name only the load balancers in front of Cadence." : ""));
            }
        }
        return networks;
    }
}
