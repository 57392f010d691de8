using Cadence.Console.Inbox;
using Cadence.Console.Pages.Messages;
using Cadence.Contacts;
using Cadence.Data;
using Cadence.Inbox;
using Cadence.Messages;
using Cadence.Teams;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Console.Pages.Inbox;

/// <summary>
/// One conversation: its history in order (texts both ways, opt-out changes in line), a reply box, and the
/// contact beside it. Opening it marks it read for the team. "~" as the team is a number no team knows.
/// </summary>
public sealed class ConversationModel(CadenceDb db, ConversationStates states, ConversationReply replies, ConversationActions actions) : TeamPage(db)
{
    public const int MaxTexts = 300;
    public const string NoTeamCode = "~";

    /// <summary>A line of the history: a text, or an opt-out change.</summary>
    public sealed record Entry(DateTime At, Message? Message, string? Text, OptOutChange? Change);

    [BindProperty(SupportsGet = true, Name = "key")]
    public string? Key { get; set; }

    [BindProperty]
    public string? Text { get; set; }

    /// <summary>Made when the form is shown, so that a form sent twice texts once.</summary>
    [BindProperty]
    public string? FormKey { get; set; }

    /// <summary>The key of the form shown now: a new one each time, so that each reply written is sent once.</summary>
    public string ShownFormKey { get; } = Guid.NewGuid().ToString("N");

    [BindProperty]
    public string? CampusId { get; set; }

    [BindProperty]
    public string? LinkTeam { get; set; }

    public ConversationRef Ref { get; set; }
    public Contact? Contact { get; set; }
    public string MobileNumber { get; set; } = "";
    public List<Entry> History { get; set; } = [];
    public List<KeyValuePair<string, string>> Fields { get; set; } = [];
    public List<OptOutChange> OptOuts { get; set; } = [];
    public List<MessageTemplate> Templates { get; set; } = [];
    public int MaxLength { get; set; } = MessageText.MaxLength;
    public bool Archived { get; set; }
    public bool Found { get; set; }

    /// <summary>Teams in which this user may link the number to a contact.</summary>
    public List<Team> LinkTeams => [.. Teams.Where(t => Me.Administers(t.Id) && (Team is null || t.Id == Team.Id))];

    public string Zone => TeamTime.Name(Team?.TimeZone);

    public string Local(DateTime at) => TeamTime.Format(at, Team?.TimeZone);

    public async Task<IActionResult> OnGetAsync()
    {
        if (await OpenAsync())
        {
            await LoadAsync();
            if (History.LastOrDefault(e => e.Message is not null)?.Message is { } last)
            {
                await states.MarkReadAsync(Ref, last.Id, HttpContext.RequestAborted);
            }
        }
        return Page();
    }

    public Task<IActionResult> OnPostReplyAsync() => ActAsync(async () =>
    {
        var contact = Contact ?? throw new CadenceException("Link this number to a contact before replying: Cadence texts contacts only.");
        var message = await replies.SendAsync(Me, Team!, contact, Text, FormKey, HttpContext.RequestAborted);
        Notice = message is null ? "That reply was sent already." : "Reply queued; its status below updates as the carrier reports it.";
    });

    public Task<IActionResult> OnPostArchiveAsync() => ActAsync(async () =>
    {
        await states.SetArchivedAsync(Ref, History.LastOrDefault(e => e.Message is not null)?.Message?.Id ?? 0, HttpContext.RequestAborted);
        Notice = "Archived: the conversation is back in the inbox when the student texts again.";
    });

    public Task<IActionResult> OnPostUnarchiveAsync() => ActAsync(async () =>
    {
        await states.SetArchivedAsync(Ref, null, HttpContext.RequestAborted);
        Notice = "Back in the inbox.";
    });

    public Task<IActionResult> OnPostOptOutAsync() => ActAsync(async () =>
    {
        var contact = Contact ?? throw new CadenceException("Only a contact can be opted out; this number is no contact.");
        await actions.OptOutAsync(Team!, contact.Id, Actor, HttpContext.RequestAborted);
        Notice = $"{contact.FirstName} {contact.LastName} is opted out: Cadence will not text them.";
    });

    public async Task<IActionResult> OnPostLinkAsync()
    {
        if (!await OpenAsync())
        {
            return Page();
        }
        await LoadAsync();
        var target = LinkTeams.FirstOrDefault(t => t.DepartmentCode.Equals(LinkTeam?.Trim(), StringComparison.OrdinalIgnoreCase));
        Contact? linked = null;
        if (Contact is null && await TryAsync(async () =>
            {
                var team = target ?? throw new CadenceException("Only an admin of the team can link a number to one of its contacts.", StatusCodes.Status403Forbidden);
                linked = await actions.LinkAsync(team, Team?.Id, MobileNumber, CampusId, Actor, HttpContext.RequestAborted);
            }) && linked is not null)
        {
            Notice = $"Linked to {linked.FirstName} {linked.LastName}.";
            return Redirect($"/inbox/{target!.DepartmentCode}/{linked.Id:N}");
        }
        Error ??= "This conversation is a contact's already.";
        return Page();
    }

    /// <summary>Runs a form's action, then shows the conversation again (post, redirect, get) or the error in place.</summary>
    async Task<IActionResult> ActAsync(Func<Task> action)
    {
        if (!await OpenAsync())
        {
            return Page();
        }
        await LoadAsync();
        if (!Found)
        {
            return Page();
        }
        if (await TryAsync(action))
        {
            return Redirect($"/inbox/{Team?.DepartmentCode ?? NoTeamCode}/{Ref.Key}");
        }
        if (HttpContext.Response.StatusCode == StatusCodes.Status200OK)
        {
            HttpContext.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        await LoadAsync();
        return Page();
    }

    async Task<bool> OpenAsync()
    {
        if (TeamCode == NoTeamCode)
        {
            Teams = await MyTeamsAsync(Db);
            if (!Me.IsAdmin)
            {
                Error = "Texts from numbers no team knows are for owners and team admins.";
                HttpContext.Response.StatusCode = StatusCodes.Status403Forbidden;
                return false;
            }
        }
        else if (!await OpenTeamAsync())
        {
            return false;
        }
        if (!ConversationRef.TryParse(Team?.Id ?? ConversationState.NoTeam, Key, out var conversation))
        {
            return NoSuchConversation();
        }
        Ref = conversation;
        return true;
    }

    bool NoSuchConversation()
    {
        Error = "There is no such conversation here.";
        HttpContext.Response.StatusCode = StatusCodes.Status404NotFound;
        return false;
    }

    async Task LoadAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        var c = Ref;
        Guid? teamId = Team?.Id;
        Contact = c.IsContact && Team is { } team
            ? await Db.Contacts.AsNoTracking().SingleOrDefaultAsync(x => x.Id == c.ContactId && x.TeamId == team.Id && x.OrganizationId == Me.OrganizationId, cancellationToken)
            : null;
        var texts = await Db.Messages.AsNoTracking()
            .Where(m => m.OrganizationId == Me.OrganizationId && m.TeamId == teamId)
            .Where(m => c.IsContact ? m.ContactId == c.ContactId : m.ContactId == null && m.MobileNumber == c.MobileNumber)
            .OrderByDescending(m => m.Id).Take(MaxTexts).ToListAsync(cancellationToken);
        texts.Reverse();
        Found = Contact is not null || texts.Count > 0;
        if (!Found)
        {
            NoSuchConversation();
            return;
        }
        MobileNumber = Contact?.MobileNumber ?? texts[^1].MobileNumber;
        var hidden = Team is null ? [] : await InboxQuery.HiddenFieldsAsync(Db, Me, Team.Id, cancellationToken);
        var masks = Team is null ? HiddenValues.None : await HiddenValues.LoadAsync(Db, Team.Id, hidden, texts, cancellationToken);
        History = [.. texts.Select(m => new Entry(m.CreatedAt, m, masks.Text(m), null))];
        if (Contact is { } contact && Team is { } mine)
        {
            OptOuts = await Db.OptOutChanges.AsNoTracking().Where(o => o.ContactId == contact.Id && o.TeamId == mine.Id)
                .OrderByDescending(o => o.At).ThenByDescending(o => o.Id).Take(100).ToListAsync(cancellationToken);
            History = [.. History.Concat(OptOuts.Select(o => new Entry(o.At, null, null, o))).OrderBy(e => e.At).ThenBy(e => e.Message?.Id ?? long.MaxValue)];
            Fields = [.. CustomFieldValues.Parse(contact.CustomFields).Where(f => !hidden.Contains(f.Key)).OrderBy(f => f.Key, StringComparer.OrdinalIgnoreCase)];
            MaxLength = await replies.MaxLengthAsync(mine, contact, cancellationToken);
        }
        if (Team is { } own)
        {
            Templates = await Db.MessageTemplates.AsNoTracking().Where(t => t.TeamId == own.Id).OrderBy(t => t.Name).Take(100).ToListAsync(cancellationToken);
        }
        Archived = (await states.GetAsync(Ref, cancellationToken))?.ArchivedThroughId is { } through
            && !texts.Any(m => m.Direction == "inbound" && m.Id > through);
    }
}
