using Cadence.Credentials;
using Cadence.Data;

namespace Cadence.Events;

/// <summary>Credentials' <see cref="ICredentialRevocations"/>: a revoked credential is a <c>credential.revoked</c> event.</summary>
public sealed class CredentialRevokedEvents : ICredentialRevocations
{
    public void Revoked(CadenceDb db, Guid organizationId, Credential credential, string actor, DateTime at)
    {
        // The event belongs to the credential's team when it has exactly one; one reaching several teams (or all)
        // belongs to none, so only credentials of every team see it.
        var only = credential.Teams.Count == 1 ? credential.Teams[0].Team : null;
        db.Append(organizationId, only?.Id, only?.DepartmentCode, EventTypes.CredentialRevoked, at, null,
            new CredentialRevokedData(credential.Key, credential.Name, actor, credential.RevokedReason,
                credential.Teams.Count == 0 ? ["*"] : [.. credential.Teams.Select(t => t.Team!.DepartmentCode).Order()]));
    }
}
