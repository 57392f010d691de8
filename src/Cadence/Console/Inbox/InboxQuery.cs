using Cadence.Console.Pages.Messages;
using Cadence.Contacts;
using Cadence.Data;
using Cadence.Messages;
using Cadence.Teams;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Console.Inbox;

public enum InboxFilter { All, AssignedToMe, Unread, Archived }

/// <summary>One line of the inbox: a conversation's latest text and its state for the team.</summary>
public sealed record ConversationSummary(ConversationRef Ref, Team? Team, Contact? Contact, Message Last, string LastText, bool Unread, bool Archived);

public sealed record InboxPage(IReadOnlyList<ConversationSummary> Rows, int Matches, int Unread);

/// <summary>
/// The conversations of a user's teams, one stored row each (<see cref="ConversationState"/>, whose latest text
/// <see cref="ConversationActivity"/> keeps as texts are written) with the team's shared read and archive state:
/// unread first, then latest activity, filtered and counted by the database. Texts from numbers no team knows are
/// shown to owners and team admins, who can link them to a contact.
/// </summary>
public sealed class InboxQuery(CadenceDb db)
{
    public const int MaxRows = 100;

    sealed record Activity(ConversationRef Ref, long LastId, bool Unread, bool Archived);

    public async Task<InboxPage> ListAsync(ConsoleUser me, InboxFilter filter, string? search, CancellationToken cancellationToken)
    {
        var teams = await TeamsOfAsync(me, cancellationToken);
        var all = Conversations(me, teams);
        var unread = await all.CountAsync(IsUnread, cancellationToken);
        var shown = filter switch
        {
            InboxFilter.Archived => all.Where(IsArchived),
            InboxFilter.Unread => all.Where(IsUnread),
            _ => all.Where(s => !(s.ArchivedThroughId != null && s.LastInboundId <= s.ArchivedThroughId)),
        };
        var text = search?.Trim() is { Length: > 0 } given ? given[..Math.Min(100, given.Length)] : null;
        if (filter == InboxFilter.AssignedToMe || text is not null)
        {
            var ids = teams.Keys.ToList();
            var contacts = db.Contacts.AsNoTracking().Where(c => ids.Contains(c.TeamId));
            if (filter == InboxFilter.AssignedToMe)
            {
                contacts = contacts.Where(c => c.StaffId == me.StaffId);
            }
            var mobile = text is not null && PhoneNumber.TryNormalize(text, out var normalized) ? normalized : null;
            if (text is not null)
            {
                // Lower() on both sides: LIKE differs in case rules between SQLite and PostgreSQL.
                var lower = text.ToLowerInvariant();
                contacts = contacts.Where(c => c.MobileNumber == mobile || c.MobileNumber.Contains(text) || c.UniqueCampusId.ToLower().Contains(lower)
                    || (c.FirstName + " " + c.LastName).ToLower().Contains(lower) || (c.LastName + ", " + c.FirstName).ToLower().Contains(lower));
            }
            var matching = contacts.Select(c => c.Id);
            var numbers = filter != InboxFilter.AssignedToMe;
            shown = shown.Where(s => s.ContactId != Guid.Empty ? matching.Contains(s.ContactId)
                : numbers && (s.MobileNumber == mobile || s.MobileNumber.Contains(text!)));
        }
        var matches = await shown.CountAsync(cancellationToken);
        var page = await shown
            .OrderByDescending(s => s.LastInboundId > s.ReadThroughId && !(s.ArchivedThroughId != null && s.LastInboundId <= s.ArchivedThroughId))
            .ThenByDescending(s => s.LastMessageId)
            .Take(MaxRows)
            .Select(s => new { s.TeamId, s.ContactId, s.MobileNumber, s.LastMessageId, s.LastInboundId, s.ReadThroughId, s.ArchivedThroughId })
            .ToListAsync(cancellationToken);
        var rows = page.Select(s =>
        {
            var archived = s.ArchivedThroughId is { } through && s.LastInboundId <= through;
            return new Activity(new ConversationRef(s.TeamId, s.ContactId, s.MobileNumber), s.LastMessageId, !archived && s.LastInboundId > s.ReadThroughId, archived);
        }).ToList();
        return new InboxPage(await DescribeAsync(me, teams, rows, cancellationToken), matches, unread);
    }

    static readonly System.Linq.Expressions.Expression<Func<ConversationState, bool>> IsArchived =
        s => s.ArchivedThroughId != null && s.LastInboundId <= s.ArchivedThroughId;

    static readonly System.Linq.Expressions.Expression<Func<ConversationState, bool>> IsUnread =
        s => s.LastInboundId > s.ReadThroughId && !(s.ArchivedThroughId != null && s.LastInboundId <= s.ArchivedThroughId);

    /// <summary>The count in the navigation: unread conversations of the user's teams.</summary>
    public async Task<int> UnreadAsync(ConsoleUser me, CancellationToken cancellationToken) =>
        await Conversations(me, await TeamsOfAsync(me, cancellationToken)).CountAsync(IsUnread, cancellationToken);

    public Task<Dictionary<Guid, Team>> TeamsOfAsync(ConsoleUser me, CancellationToken cancellationToken)
    {
        var member = me.Teams.Keys.ToList();
        return db.Teams.AsNoTracking().Where(t => t.OrganizationId == me.OrganizationId && (me.IsOwner || member.Contains(t.Id)))
            .ToDictionaryAsync(t => t.Id, cancellationToken);
    }

    /// <summary>The conversations of these teams that have a text, and (for owners and team admins) those of numbers no team knows.</summary>
    IQueryable<ConversationState> Conversations(ConsoleUser me, Dictionary<Guid, Team> teams)
    {
        var ids = teams.Keys.ToList();
        if (me.IsAdmin)
        {
            ids.Add(ConversationState.NoTeam);
        }
        return db.ConversationStates.AsNoTracking().Where(s => ids.Contains(s.TeamId) && s.LastMessageId > 0);
    }

    async Task<List<ConversationSummary>> DescribeAsync(ConsoleUser me, Dictionary<Guid, Team> teams, List<Activity> page, CancellationToken cancellationToken)
    {
        var lastIds = page.Select(a => a.LastId).ToList();
        var last = await db.Messages.AsNoTracking().Where(m => m.OrganizationId == me.OrganizationId && lastIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, cancellationToken);
        page = [.. page.Where(a => last.ContainsKey(a.LastId))];
        var contactIds = page.Where(a => a.Ref.IsContact).Select(a => a.Ref.ContactId).ToList();
        var contacts = await db.Contacts.AsNoTracking().Where(c => contactIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        var masks = new Dictionary<Guid, HiddenValues>();
        foreach (var team in page.Select(a => a.Ref.TeamId).Distinct().Where(teams.ContainsKey))
        {
            masks[team] = await HiddenValues.LoadAsync(db, team, await HiddenFieldsAsync(db, me, team, cancellationToken),
                page.Where(a => a.Ref.TeamId == team).Select(a => last[a.LastId]), cancellationToken);
        }
        return [.. page.Select(a => new ConversationSummary(a.Ref, teams.GetValueOrDefault(a.Ref.TeamId), contacts.GetValueOrDefault(a.Ref.ContactId),
            last[a.LastId], masks.GetValueOrDefault(a.Ref.TeamId, HiddenValues.None).Text(last[a.LastId]), a.Unread, a.Archived))];
    }

    /// <summary>The team's custom fields this user may not see: those hidden from staff, unless they administer the team.</summary>
    public static async Task<HashSet<string>> HiddenFieldsAsync(CadenceDb db, ConsoleUser me, Guid teamId, CancellationToken cancellationToken) =>
        me.Administers(teamId)
            ? []
            : (await db.CustomFields.AsNoTracking().Where(f => f.TeamId == teamId && f.HiddenFromStaff).Select(f => f.Name).ToListAsync(cancellationToken))
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
}
