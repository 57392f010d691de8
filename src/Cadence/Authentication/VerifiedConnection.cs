using Cadence.Credentials;
using Microsoft.AspNetCore.Connections.Features;

namespace Cadence.Authentication;

/// <summary>
/// The Authorization header that last verified on an HTTP/1.x connection. Kestrel hands back a known header's
/// value as the very same string when it is byte for byte the previous request's on that connection, so a
/// client that keeps its connection open and sends the same credential is recognised by reference: no
/// decoding, no hashing. The memory holds only while the credential is the one this node has cached now
/// (every change evicts that) and before its expiry or grace period ends. It lives and dies with the
/// connection, and the string it holds is the one Kestrel already keeps for that connection.
/// </summary>
internal sealed class VerifiedConnection
{
    static readonly object ItemKey = typeof(VerifiedConnection);

    string? header;
    CredentialSnapshot? credential;
    DateTime? goodUntil;

    /// <summary>
    /// The memory of this request's connection; null where requests share a connection at the same time
    /// (HTTP/2 and HTTP/3) or the server keeps no per-connection items.
    /// </summary>
    public static VerifiedConnection? For(HttpContext http)
    {
        var protocol = http.Request.Protocol;
        if (!HttpProtocol.IsHttp11(protocol) && !HttpProtocol.IsHttp10(protocol) ||
            http.Features.Get<IConnectionItemsFeature>()?.Items is not { } items)
        {
            return null;
        }
        if (items.TryGetValue(ItemKey, out var existing) && existing is VerifiedConnection memory)
        {
            return memory;
        }
        var created = new VerifiedConnection();
        items[ItemKey] = created;
        return created;
    }

    /// <summary>The credential this exact header proved earlier on this connection, if that proof still holds.</summary>
    public CredentialSnapshot? Recall(string presented, CredentialCache cache, DateTime now) =>
        ReferenceEquals(presented, header) && credential is { } known && !(goodUntil <= now) && cache.IsCurrent(known)
            ? known
            : null;

    public void Remember(string presented, CredentialSnapshot verified, DateTime? until)
    {
        header = presented;
        credential = verified;
        goodUntil = until;
    }
}
