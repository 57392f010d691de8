using System.Buffers.Binary;
using System.Buffers.Text;

namespace Cadence.Events;

/// <summary>
/// A reader's position in the feed: the writing transaction's id (PostgreSQL's xid8; 0 on SQLite) and the event id.
/// Given out as opaque base64url text, so that how the order is kept can change without breaking clients.
/// </summary>
public readonly record struct EventCursor(ulong TransactionId, long EventId)
{
    const byte Version = 1;

    public static EventCursor Start => default;

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[17];
        bytes[0] = Version;
        BinaryPrimitives.WriteUInt64BigEndian(bytes[1..], TransactionId);
        BinaryPrimitives.WriteInt64BigEndian(bytes[9..], EventId);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>Only text this server gave out parses: the version byte, two numbers, nothing else.</summary>
    public static bool TryParse(string? text, out EventCursor cursor)
    {
        cursor = Start;
        if (string.IsNullOrEmpty(text) || text.Length != 23)
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[17];
        if (!Base64Url.TryDecodeFromChars(text, bytes, out var written) || written != 17 || bytes[0] != Version)
        {
            return false;
        }
        var id = BinaryPrimitives.ReadInt64BigEndian(bytes[9..]);
        if (id < 0)
        {
            return false;
        }
        cursor = new EventCursor(BinaryPrimitives.ReadUInt64BigEndian(bytes[1..]), id);
        return true;
    }
}
