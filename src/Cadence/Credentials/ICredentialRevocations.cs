using Cadence.Data;

namespace Cadence.Credentials;

/// <summary>
/// What a revocation tells the layers above Credentials, in the revocation's unit of work: Credentials knows no feature,
/// so Events (the <c>credential.revoked</c> event of the feed and the webhooks) implements this and registers it.
/// </summary>
public interface ICredentialRevocations
{
    /// <summary>Adds to the unit of work what the revocation of the credential (its teams loaded) writes; it commits with it.</summary>
    void Revoked(CadenceDb db, Guid organizationId, Credential credential, string actor, DateTime at);
}
