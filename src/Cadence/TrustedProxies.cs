using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Cadence;

/// <summary>
/// Cadence:TrustedProxies: the load balancers (addresses, or CIDR ranges such as 10.0.0.0/8) whose
/// X-Forwarded-For and X-Forwarded-Proto are believed. Only these: ASP.NET Core's default of trusting loopback
/// is dropped, so a forwarded header from anyone else never changes the client address that throttling,
/// last use and the audit log record.
/// </summary>
public static class TrustedProxies
{
    public static void Apply(ForwardedHeadersOptions options, IEnumerable<string> proxies)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var entry in proxies.Select(p => p.Trim()).Where(p => p.Length > 0))
        {
            if (entry.Contains('/') && System.Net.IPNetwork.TryParse(entry, out var network))
            {
                options.KnownIPNetworks.Add(network);
            }
            else if (!entry.Contains('/') && IPAddress.TryParse(entry, out var address))
            {
                options.KnownProxies.Add(address);
            }
            else
            {
                throw new CadenceException($"Cadence:TrustedProxies holds '{entry}', which is neither an IP address nor a CIDR range such as 10.0.0.0/8.");
            }
        }
        if (options.KnownProxies.Count == 0 && options.KnownIPNetworks.Count == 0)
        {
            // With both lists empty the middleware would believe everyone: no proxies, no forwarded headers.
            options.ForwardedHeaders = ForwardedHeaders.None;
        }
    }
}
