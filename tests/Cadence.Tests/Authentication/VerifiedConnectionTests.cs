using System.Collections.Frozen;
using Cadence.Authentication;
using Cadence.Credentials;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Cadence.Tests.Authentication;

/// <summary>The rules of the per-connection memory on their own; KeptAliveConnectionTests has them over real HTTP.</summary>
public sealed class VerifiedConnectionTests
{
    static readonly DateTime Now = new(2026, 9, 1, 12, 0, 0, DateTimeKind.Utc);

    sealed class ConnectionItems : IConnectionItemsFeature
    {
        public IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();
    }

    static HttpContext Request(ConnectionItems connection, string protocol = "HTTP/1.1")
    {
        var http = new DefaultHttpContext();
        http.Features.Set<IConnectionItemsFeature>(connection);
        http.Request.Protocol = protocol;
        return http;
    }

    static (CredentialCache Cache, CredentialSnapshot Credential) Cached()
    {
        var cache = new CredentialCache();
        var credential = new CredentialSnapshot(Guid.NewGuid(), Guid.NewGuid(), SecretFormat.NewKey(), "test", new byte[32], null, null, null,
            null, null, FrozenSet<string>.Empty, null, null, 10);
        cache.Add(credential, cache.Generation);
        return (cache, credential);
    }

    static string Header() => "Basic " + Convert.ToBase64String(Guid.NewGuid().ToByteArray());

    [Fact]
    public void TheSameHeaderOnTheSameConnectionIsRecalled()
    {
        var connection = new ConnectionItems();
        var (cache, credential) = Cached();
        var header = Header();
        VerifiedConnection.For(Request(connection))!.Remember(header, credential, null);

        Assert.Same(credential, VerifiedConnection.For(Request(connection))!.Recall(header, cache, Now));
    }

    [Fact]
    public void AnEqualHeaderThatIsNotTheSameStringIsNotRecalled()
    {
        // Only Kestrel's reuse of the identical string counts: the memory never compares secret text itself.
        var (cache, credential) = Cached();
        var header = Header();
        var memory = VerifiedConnection.For(Request(new ConnectionItems()))!;
        memory.Remember(header, credential, null);

        Assert.Null(memory.Recall(new string(header.AsSpan()), cache, Now));
    }

    [Fact]
    public void AnotherConnectionRemembersNothing()
    {
        var (cache, credential) = Cached();
        var header = Header();
        VerifiedConnection.For(Request(new ConnectionItems()))!.Remember(header, credential, null);

        Assert.Null(VerifiedConnection.For(Request(new ConnectionItems()))!.Recall(header, cache, Now));
    }

    [Fact]
    public void ACredentialEvictedFromTheCacheIsNotRecalled()
    {
        var (cache, credential) = Cached();
        var header = Header();
        var memory = VerifiedConnection.For(Request(new ConnectionItems()))!;
        memory.Remember(header, credential, null);

        cache.Evict(credential.Key);

        Assert.Null(memory.Recall(header, cache, Now));
    }

    [Fact]
    public void AProofIsNotRecalledOnceItsTimeIsUp()
    {
        var (cache, credential) = Cached();
        var header = Header();
        var memory = VerifiedConnection.For(Request(new ConnectionItems()))!;
        memory.Remember(header, credential, Now.AddMinutes(1));

        Assert.Same(credential, memory.Recall(header, cache, Now.AddSeconds(59)));
        Assert.Null(memory.Recall(header, cache, Now.AddMinutes(1)));
    }

    [Theory]
    [InlineData("HTTP/2")]
    [InlineData("HTTP/3")]
    public void ConnectionsThatCarryRequestsSideBySideGetNoMemory(string protocol)
    {
        Assert.Null(VerifiedConnection.For(Request(new ConnectionItems(), protocol)));
    }
}
