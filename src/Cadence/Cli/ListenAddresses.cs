using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace Cadence.Cli;

/// <summary>
/// Whether the server can listen where it is told to, tried before the host starts: Kestrel binds inside the host's
/// start, where a port in use is logged as "Hosting failed to start" with the exception's stack before the error
/// line. Each address is bound and let go at once, the way Kestrel's socket transport binds it; another program that
/// takes the port in the moment between is still refused by Kestrel, only less tidily.
/// </summary>
public static class ListenAddresses
{
    /// <summary>Throws a <see cref="CadenceException"/> naming the first address of <paramref name="urls"/> (";"-separated) that cannot be bound.</summary>
    public static void CheckFree(string? urls)
    {
        foreach (var url in (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            BindingAddress address;
            try
            {
                address = BindingAddress.Parse(url);
            }
            catch (FormatException)
            {
                continue; // Kestrel's own refusal says what is wrong with it
            }
            if (address.IsUnixPipe || address.Port <= 0)
            {
                continue; // a socket file, or a port the system picks
            }
            foreach (var (ip, required) in Endpoints(address.Host))
            {
                if (TryBind(new IPEndPoint(ip, address.Port)) is { } error && (required || error == SocketError.AddressAlreadyInUse))
                {
                    throw new CadenceException($"cannot listen on {url}: {Reason(error)}.");
                }
            }
        }
    }

    /// <summary>Kestrel's reading of a host: localhost is both loopbacks (IPv6 may be missing), an address is itself, anything else is every address.</summary>
    static IEnumerable<(IPAddress Address, bool Required)> Endpoints(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return [(IPAddress.Loopback, true), (IPAddress.IPv6Loopback, false)];
        }
        if (IPAddress.TryParse(host.Trim('[', ']'), out var ip))
        {
            return [(ip, true)];
        }
        return [(Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any, true)];
    }

    static SocketError? TryBind(IPEndPoint endpoint)
    {
        try
        {
            using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }
            socket.Bind(endpoint);
            socket.Listen(1);
            return null;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
    }

    static string Reason(SocketError error) => error switch
    {
        SocketError.AddressAlreadyInUse => "the address is already in use (is another server running there?)",
        SocketError.AccessDenied => "permission denied (ports below 1024 need privileges)",
        SocketError.AddressNotAvailable => "this machine has no such address",
        _ => $"the system refused it ({error})",
    };
}
