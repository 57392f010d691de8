using Cadence.Data;
using Cadence.Messages;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Inbox;

/// <summary>Read and archive state of a team's conversation, shared by the team; each change is signalled to open pages.</summary>
public sealed class ConversationStates(CadenceDb db, TimeProvider time, ConversationSignals signals)
{
    /// <summary>Marks the conversation read through a message; no write (and no signal) when it already was.</summary>
    public async Task MarkReadAsync(ConversationRef conversation, long throughId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var changed = await Find(conversation).Where(s => s.ReadThroughId < throughId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ReadThroughId, throughId).SetProperty(x => x.UpdatedAt, now), cancellationToken);
        if (changed == 0 && !await Find(conversation).AnyAsync(cancellationToken))
        {
            changed = await CreateAsync(conversation, s => s.ReadThroughId = throughId, cancellationToken)
                ? 1
                : await Find(conversation).Where(s => s.ReadThroughId < throughId)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.ReadThroughId, throughId).SetProperty(x => x.UpdatedAt, now), cancellationToken);
        }
        if (changed > 0)
        {
            signals.Raise(conversation.TeamId); // the others' unread counts
        }
    }

    /// <summary>Archives the conversation through a message (null: back into the inbox).</summary>
    public async Task SetArchivedAsync(ConversationRef conversation, long? throughId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (await Find(conversation).ExecuteUpdateAsync(s => s.SetProperty(x => x.ArchivedThroughId, throughId).SetProperty(x => x.UpdatedAt, now), cancellationToken) == 0
            && !await CreateAsync(conversation, s => s.ArchivedThroughId = throughId, cancellationToken))
        {
            await Find(conversation).ExecuteUpdateAsync(s => s.SetProperty(x => x.ArchivedThroughId, throughId).SetProperty(x => x.UpdatedAt, now), cancellationToken);
        }
        signals.Raise(conversation.TeamId);
    }

    public Task<ConversationState?> GetAsync(ConversationRef conversation, CancellationToken cancellationToken) =>
        Find(conversation).AsNoTracking().SingleOrDefaultAsync(cancellationToken);

    IQueryable<ConversationState> Find(ConversationRef c) =>
        db.ConversationStates.Where(s => s.TeamId == c.TeamId && s.ContactId == c.ContactId && s.MobileNumber == c.MobileNumber);

    /// <summary>Adds the row; false when another request added it first (then the caller updates it).</summary>
    async Task<bool> CreateAsync(ConversationRef c, Action<ConversationState> set, CancellationToken cancellationToken)
    {
        var state = new ConversationState { TeamId = c.TeamId, ContactId = c.ContactId, MobileNumber = c.MobileNumber, UpdatedAt = time.GetUtcNow().UtcDateTime };
        set(state);
        db.ConversationStates.Add(state);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            db.Entry(state).State = EntityState.Detached;
            return false;
        }
    }
}
