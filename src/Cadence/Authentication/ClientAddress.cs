using System.Buffers.Binary;
using System.Net;

namespace Cadence.Authentication;

/// <summary>
/// The unit the failure throttles count in. An IPv4 address is one client; an IPv6 client is given a whole /64
/// (RFC 6177 and every ISP hand one to a single site), so it could rotate through 2^64 addresses of its own: the
/// /64 counts as one. IPv4-mapped IPv6 addresses count as their IPv4 address.
/// </summary>
public static class ClientAddress
{
    /// <summary>A 128-bit key, made without allocating (the API throttle looks one up on every request).</summary>
    public static UInt128 Key(IPAddress? address)
    {
        address ??= IPAddress.None;
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            // As ::ffff:a.b.c.d, which no /64 key below can equal (those keep the low 64 bits zero).
            address.TryWriteBytes(bytes[12..], out _);
            bytes[10] = 0xff;
            bytes[11] = 0xff;
            return BinaryPrimitives.ReadUInt128BigEndian(bytes);
        }
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    /// <summary>The address or /64 as text, for keys and logs: 203.0.113.7, 2001:db8:1:2::/64.</summary>
    public static string Describe(IPAddress? address)
    {
        var key = Key(address);
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, key);
        return key >> 32 == 0xffff ? new IPAddress(bytes[12..]).ToString() : new IPAddress(bytes) + "/64";
    }
}
