using Cadence.Audit;
using Cadence.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Console.Pages;

/// <summary>Who did what to credentials, users, teams and fields, when and from where; newest first, a page at a time.</summary>
public sealed class AuditModel(CadenceDb db) : ConsolePage
{
    public const int PageSize = 100;
    public static readonly (string Value, string Label)[] Kinds =
        [("", "Everything"), ("credential.", "Credentials"), ("user.", "Users and sign-ins"), ("team.", "Teams"), ("field.", "Fields")];

    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public long? Before { get; set; }
    public List<AuditEvent> Events { get; set; } = [];
    public long? Older { get; set; }

    public async Task OnGetAsync()
    {
        var query = db.AuditEvents.Where(e => e.OrganizationId == Me.OrganizationId);
        if (Kinds.Any(k => k.Value == Kind && k.Value.Length > 0))
        {
            query = query.Where(e => e.Action.StartsWith(Kind!));
        }
        if (Before is { } before)
        {
            query = query.Where(e => e.Id < before);
        }
        (Events, Older) = await NewestFirst.PageAsync(query.OrderByDescending(e => e.Id), PageSize, e => e.Id, HttpContext.RequestAborted);
    }
}
