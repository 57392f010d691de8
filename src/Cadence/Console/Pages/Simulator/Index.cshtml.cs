using Cadence.Console.Pages.Messages;
using Cadence.Contacts;
using Cadence.Data;
using Cadence.Messages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Console.Pages.Simulator;

/// <summary>
/// The simulator's phone, like a local mail catcher for SMS: which numbers the team texted, what one of them
/// received and sent, and a reply as the student through the same inbound path as a real carrier's.
/// </summary>
public sealed class IndexModel(CadenceDb db, ISmsProvider provider, InboundMessages inbound) : TeamPage(db)
{
    public const int MaxRows = 100;

    public sealed record Number(string MobileNumber, int Texts, DateTime Last);

    public bool IsSimulator => provider is SimulatorProvider;

    public List<Number> Numbers { get; set; } = [];

    /// <summary>The phone shown, in the stored form 1-XXX-XXX-XXXX.</summary>
    public string? Phone { get; set; }

    public List<Message> Conversation { get; set; } = [];

    /// <summary>The texts' bodies as this user may see them: fields hidden from staff stay hidden here too.</summary>
    public HiddenValues Shown { get; set; } = HiddenValues.None;

    [BindProperty(SupportsGet = true, Name = "number")]
    public string? NumberText { get; set; }

    [BindProperty]
    public string? Reply { get; set; }

    /// <summary>Texts the carrier has not taken yet: the page refreshes itself until they arrive.</summary>
    public int OnTheirWay => Conversation.Count(m => m.Status is MessageStatus.Queued or MessageStatus.Sending);

    public async Task<IActionResult> OnGetAsync()
    {
        if (IsSimulator && await OpenTeamAsync())
        {
            await LoadAsync();
        }
        return Page();
    }

    public async Task<IActionResult> OnPostReplyAsync()
    {
        if (!IsSimulator || !await OpenTeamAsync() || !OpenPhone())
        {
            return Page();
        }
        // The reply takes the carrier's path: STOP opts out and queues the one confirmation, START opts back in.
        var replied = await TryAsync(() => inbound.ReceiveAsync(Me.OrganizationId, Phone, Reply, null, HttpContext.RequestAborted, Me.MayUseTeam));
        if (replied)
        {
            return RedirectToPage(new { team = Team!.DepartmentCode, number = Phone });
        }
        await LoadAsync();
        return Page();
    }

    bool OpenPhone()
    {
        if (string.IsNullOrWhiteSpace(NumberText))
        {
            return false;
        }
        if (PhoneNumber.TryNormalize(NumberText, out var mobile))
        {
            Phone = mobile;
            return true;
        }
        Error = $"That is not a mobile number: {PhoneNumber.Rule}.";
        return false;
    }

    async Task LoadAsync()
    {
        var team = Team!;
        var texts = Db.Messages.AsNoTracking().Where(m => m.TeamId == team.Id && m.OrganizationId == Me.OrganizationId);
        if (OpenPhone())
        {
            // The newest texts, shown oldest first as a phone does.
            Conversation = await texts.Where(m => m.MobileNumber == Phone).OrderByDescending(m => m.Id).Take(MaxRows)
                .ToListAsync(HttpContext.RequestAborted);
            Conversation.Reverse();
            Shown = await HiddenValues.LoadAsync(Db, team.Id, await FieldsHiddenFromMeAsync(), Conversation, HttpContext.RequestAborted);
            return;
        }
        var numbers = await texts.Where(m => m.Direction == "outbound").GroupBy(m => m.MobileNumber)
            .Select(g => new { Mobile = g.Key, Texts = g.Count(), Last = g.Max(m => m.Id), At = g.Max(m => m.CreatedAt) })
            .OrderByDescending(n => n.Last).Take(MaxRows).ToListAsync(HttpContext.RequestAborted);
        Numbers = numbers.Select(n => new Number(n.Mobile, n.Texts, n.At)).ToList();
    }
}
