namespace Cadence.Credentials;

/// <summary>
/// What a change to a credential must tell whoever remembers credentials on this node (Authentication's
/// CredentialCache). An interface so that Credentials, which Authentication builds on, does not use Authentication.
/// </summary>
public interface ICredentialCache
{
    void Evict(string key);

    void Clear();
}
