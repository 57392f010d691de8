using System.Net;
using IPNetwork = System.Net.IPNetwork;

namespace Cadence;

/// <summary>
/// A setting that lists addresses and CIDR ranges (Cadence:TrustedProxies, Cadence:Metrics:AllowFrom): one rule for
/// reading them, below the features that use it.
/// </summary>
public static class IpRanges
{
    /// <summary>Addresses (a /32 or /128) and CIDR ranges; an entry may hold several, separated by commas or spaces.</summary>
    public static IReadOnlyList<IPNetwork> Parse(IEnumerable<string> entries, string setting)
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
                throw new CadenceException($"{setting} holds '{TextCut.Cut(text, 64)}', which is neither an IP address " +
                    "(10.0.0.5, fd00::5) nor a CIDR range (10.0.0.0/24, fd00::/64)." +
                    (setting == "Cadence:TrustedProxies" ? " Name only the load balancers in front of Cadence." : ""));
            }
        }
        return networks;
    }
}
