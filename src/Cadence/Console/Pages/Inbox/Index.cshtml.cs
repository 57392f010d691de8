using Cadence.Console.Inbox;
using Cadence.Inbox;
using Microsoft.AspNetCore.Mvc;

namespace Cadence.Console.Pages.Inbox;

/// <summary>The staff inbox: one line per conversation of the user's teams, unread first, updated live.</summary>
public sealed class IndexModel(InboxQuery inbox) : ConsolePage
{
    [BindProperty(SupportsGet = true, Name = "filter")]
    public string? FilterName { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    public InboxFilter Filter => FilterName switch
    {
        "assigned" => InboxFilter.AssignedToMe,
        "unread" => InboxFilter.Unread,
        "archived" => InboxFilter.Archived,
        _ => InboxFilter.All,
    };

    public InboxPage Result { get; set; } = new([], 0, 0);

    public async Task OnGetAsync() => Result = await inbox.ListAsync(Me, Filter, Query, HttpContext.RequestAborted);

    /// <summary>The link to a conversation; "~" stands for no team (a number no team knows).</summary>
    public static string Link(ConversationSummary row) => $"/inbox/{row.Team?.DepartmentCode ?? "~"}/{row.Ref.Key}";
}
