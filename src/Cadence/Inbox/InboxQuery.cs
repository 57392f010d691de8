using Cadence.Console;
using Cadence.Console.Pages.Messages;
using Cadence.Contacts;
using Cadence.Data;
using Cadence.Messages;
using Cadence.Teams;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Inbox;

public enum InboxFilter { All, AssignedToMe, Unread, Archived }

/// <summary>One line of the inbox: a conversation's latest text and its state for the team.</summary>
public sealed record ConversationSummary(ConversationRef Ref, Team? Team, Contact? Contact, Message Last, string LastText, bool Unread, bool Archived);

public sealed record InboxPage(IReadOnlyList<ConversationSummary> Rows, int Matches, int Unread);

/// <summary>
/// The conversations of a user's teams, read from the messages themselves (grouped per contact, or per number
/// that is no contact) and the teams' shared read and archive state: unread first, then latest activity.
/// Texts from numbers no team knows are shown to owners and team admins, who can link them to a contact.
/// </summary>
public sealed class InboxQuery(CadenceDb db)
{
    public const int MaxRows = 100;

    sealed record Activity(ConversationRef Ref, long LastId, long LastInboundId, ConversationState? State)
    {
        public bool Archived => State?.ArchivedThroughId is { } through && LastInboundId <= through;
        public bool Unread => !Archived && LastInboundId > (State?.ReadThroughId ?? 0);
    }

    public async Task<InboxPage> ListAsync(ConsoleUser me, InboxFilter filter, string? search, CancellationToken cancellationToken)
    {
        var teams = await TeamsOfAsync(me, cancellationToken);
        var activity = await ActivityAsync(me, teams, false, cancellationToken);
        var unread = activity.Count(a => a.Unread);
        IEnumerable<Activity> shown = filter switch
        {
            InboxFilter.Archived => activity.Where(a => a.Archived),
            InboxFilter.Unread => activity.Where(a => a.Unread),
            _ => activity.Where(a => !a.Archived),
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
            var matching = (await contacts.Select(c => c.Id).ToListAsync(cancellationToken)).ToHashSet();
            shown = shown.Where(a => a.Ref.IsContact ? matching.Contains(a.Ref.ContactId)
                : filter != InboxFilter.AssignedToMe && (a.Ref.MobileNumber == mobile || a.Ref.MobileNumber.Contains(text!, StringComparison.Ordinal)));
        }
        var listed = shown.ToList();
        var page = listed.OrderByDescending(a => a.Unread).ThenByDescending(a => a.LastId).Take(MaxRows).ToList();
        return new InboxPage(await DescribeAsync(me, teams, page, cancellationToken), listed.Count, unread);
    }

    /// <summary>The count in the navigation: unread conversations of the user's teams.</summary>
    public async Task<int> UnreadAsync(ConsoleUser me, CancellationToken cancellationToken) =>
        (await ActivityAsync(me, await TeamsOfAsync(me, cancellationToken), true, cancellationToken)).Count(a => a.Unread);

    public Task<Dictionary<Guid, Team>> TeamsOfAsync(ConsoleUser me, CancellationToken cancellationToken)
    {
        var member = me.Teams.Keys.ToList();
        return db.Teams.AsNoTracking().Where(t => t.OrganizationId == me.OrganizationId && (me.IsOwner || member.Contains(t.Id)))
            .ToDictionaryAsync(t => t.Id, cancellationToken);
    }

    async Task<List<Activity>> ActivityAsync(ConsoleUser me, Dictionary<Guid, Team> teams, bool inboundOnly, CancellationToken cancellationToken)
    {
        var ids = teams.Keys.ToList();
        var noTeam = me.IsAdmin;
        var messages = db.Messages.AsNoTracking()
            .Where(m => m.OrganizationId == me.OrganizationId && ((m.TeamId != null && ids.Contains(m.TeamId.Value)) || (noTeam && m.TeamId == null)));
        if (inboundOnly)
        {
            messages = messages.Where(m => m.Direction == "inbound");
        }
        var groups = await messages
            .GroupBy(m => new { m.TeamId, m.ContactId, Number = m.ContactId == null ? m.MobileNumber : "" })
            .Select(g => new { g.Key.TeamId, g.Key.ContactId, g.Key.Number, LastId = g.Max(m => m.Id), LastInboundId = g.Max(m => m.Direction == "inbound" ? m.Id : 0L) })
            .ToListAsync(cancellationToken);
        var stateTeams = ids.Append(ConversationState.NoTeam).ToList();
        var states = await db.ConversationStates.AsNoTracking().Where(s => stateTeams.Contains(s.TeamId)).ToListAsync(cancellationToken);
        var byRef = states.ToDictionary(s => new ConversationRef(s.TeamId, s.ContactId, s.MobileNumber));
        return [.. groups.Select(g =>
        {
            var key = new ConversationRef(g.TeamId ?? ConversationState.NoTeam, g.ContactId ?? Guid.Empty, g.Number);
            return new Activity(key, g.LastId, g.LastInboundId, byRef.GetValueOrDefault(key));
        })];
    }

    async Task<List<ConversationSummary>> DescribeAsync(ConsoleUser me, Dictionary<Guid, Team> teams, List<Activity> page, CancellationToken cancellationToken)
    {
        var lastIds = page.Select(a => a.LastId).ToList();
        var last = await db.Messages.AsNoTracking().Where(m => lastIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, cancellationToken);
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
