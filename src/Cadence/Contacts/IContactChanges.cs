using Cadence.Data;
using Cadence.Teams;

namespace Cadence.Contacts;

/// <summary>
/// What the features above Contacts keep of its contacts, told where Contacts changes them: Contacts knows no feature
/// above it, so Messages (the texts and the conversations they keep) implements this and registers it.
/// </summary>
public interface IContactChanges
{
    /// <summary>
    /// In the deletion's transaction, before the contact's row goes (it is still there to read): ends what waits for the
    /// contact (its queued texts fail). Returns what to do once the deletion committed (null: nothing).
    /// </summary>
    Task<Action?> DeletingAsync(CadenceDb db, Team team, Contact contact, DateTime now, CancellationToken cancellationToken);

    /// <summary>After an import committed that changed opt-outs of the team (the open inbox pages read themselves again).</summary>
    void OptOutsChanged(Guid teamId);
}
