using Cadence.Authentication;
using Cadence.Credentials;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Authentication;

/// <summary>
/// Timing must not tell a known key from an unknown one: every failing path does the same work. Wall-clock
/// time is too noisy to test, so the work itself is counted.
/// </summary>
public sealed class VerificationWorkTests
{
    static async Task<(long KeyedHashes, long DatabaseReads)> WorkOfAsync(CredentialVerifier verifier, string key, ApiSecret secret)
    {
        var before = verifier.Work;
        await Assert.ThrowsAsync<CredentialRejected>(async () => await verifier.VerifyAsync(key, secret, TestContext.Current.CancellationToken));
        var after = verifier.Work;
        return (after.KeyedHashes - before.KeyedHashes, after.DatabaseReads - before.DatabaseReads);
    }

    [Fact]
    public async Task AnUnknownKeyAndAWrongSecretForAKnownKeyCostOneDatabaseReadAndOneKeyedHashEach()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        var issued = await app.CreateCredentialAsync();
        var verifier = app.Services.GetRequiredService<CredentialVerifier>();
        var cache = app.Services.GetRequiredService<CredentialCache>();
        await verifier.VerifyAsync(issued.Credential.Key, issued.Secret, TestContext.Current.CancellationToken);
        Assert.True(cache.TryGet(issued.Credential.Key, out _));

        var unknown = await WorkOfAsync(verifier, SecretFormat.NewKey(), SecretFormat.NewSecret());
        var knownCached = await WorkOfAsync(verifier, issued.Credential.Key, SecretFormat.NewSecret());
        cache.Evict(issued.Credential.Key);
        var knownNotCached = await WorkOfAsync(verifier, issued.Credential.Key, SecretFormat.NewSecret());

        Assert.Equal((1L, 1L), unknown);
        Assert.Equal(unknown, knownCached);
        Assert.Equal(unknown, knownNotCached);
    }
}
