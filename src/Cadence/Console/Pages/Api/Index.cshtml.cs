using Cadence.Credentials;
using Cadence.Data;
using Cadence.Teams;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Console.Pages.Api;

/// <summary>
/// The seed's page: API credentials. Owners manage every credential; a team admin manages the credentials
/// limited to teams they administer, and may only create such credentials.
/// </summary>
public sealed class IndexModel(CadenceDb db, CredentialService credentials, TimeProvider time) : ConsolePage
{
    public static readonly (string Value, string Label)[] Lifetimes =
        [("", "Never"), ("30", "30 days"), ("90", "90 days"), ("180", "180 days"), ("365", "1 year")];
    public static readonly (string Value, string Label)[] Graces =
        [("0", "None: the old secret stops now"), ("1", "1 hour"), ("24", "24 hours"), ("168", "7 days")];

    public List<Credential> Credentials { get; set; } = [];
    public List<Team> Teams { get; set; } = [];
    public DateTime Now { get; set; }

    /// <summary>The key and secret just issued: shown on this one answer, never stored, never shown again.</summary>
    public IssuedCredential? Issued { get; set; }
    public bool IssuedByRoll { get; set; }

    [BindProperty] public string Name { get; set; } = "";
    [BindProperty] public string[] Scopes { get; set; } = [];
    [BindProperty] public string[] TeamCodes { get; set; } = [];
    [BindProperty] public string ExpiresInDays { get; set; } = "";
    [BindProperty] public int? RateLimit { get; set; }
    [BindProperty] public string Key { get; set; } = "";
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public int GraceHours { get; set; } = 24;

    /// <summary>Every handler starts from the teams this person administers (all of them for an owner).</summary>
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        Teams = (await MyTeamsAsync(db)).Where(t => Me.Administers(t.Id)).ToList();
        await next();
    }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostCreateAsync()
    {
        await TryAsync(async () =>
        {
            if (!Me.IsOwner)
            {
                if (TeamCodes.Length == 0 || TeamCodes.Any(code => !Teams.Any(t => t.DepartmentCode == DepartmentCode.Normalize(code))))
                {
                    throw new CadenceException("A team admin creates credentials for the teams they administer: choose at least one of them.");
                }
            }
            // Only this field's state: the page's other (non-nullable) properties are not part of this form.
            if (IsInvalid(nameof(RateLimit)))
            {
                throw new CadenceException("The rate limit is a whole number of requests per second.");
            }
            TimeSpan? lifetime = ExpiresInDays.Length == 0 ? null
                : int.TryParse(ExpiresInDays, out var days) && days > 0 && days <= CredentialService.MaxLifetime.TotalDays ? TimeSpan.FromDays(days)
                : throw new CadenceException("Choose one of the offered expiries.");
            Issued = await credentials.CreateAsync(Me.OrganizationId, new NewCredential(Name, Scopes, TeamCodes, lifetime, RateLimit), Actor,
                HttpContext.RequestAborted);
        });
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRollAsync()
    {
        if (GraceHours < 0 || GraceHours > CredentialService.MaxGrace.TotalHours || IsInvalid(nameof(GraceHours)))
        {
            Error = $"The grace period is 0 to {CredentialService.MaxGrace.TotalHours:0} hours ({CredentialService.MaxGrace.TotalDays:0} days).";
        }
        else if (await MayManageAsync(Key))
        {
            await TryAsync(async () =>
            {
                Issued = await credentials.RollAsync(Me.OrganizationId, Key, TimeSpan.FromHours(GraceHours), Actor, HttpContext.RequestAborted);
                IssuedByRoll = true;
            });
        }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync()
    {
        if (!await MayManageAsync(Key))
        {
            await LoadAsync();
            return Page();
        }
        if (await TryAsync(() => credentials.RevokeAsync(Me.OrganizationId, Key, Reason, Actor, HttpContext.RequestAborted)))
        {
            Notice = $"Revoked {Key}. Requests with it are refused from now on.";
            return RedirectToPage();
        }
        await LoadAsync();
        return Page();
    }

    public string StatusOf(Credential credential) => credential.StatusAt(Now).ToString();

    async Task LoadAsync()
    {
        Now = time.GetUtcNow().UtcDateTime;
        var all = await credentials.ListAsync(Me.OrganizationId, HttpContext.RequestAborted);
        Credentials = Me.IsOwner ? all : all.Where(Manages).ToList();
    }

    async Task<bool> MayManageAsync(string key)
    {
        var credential = await db.Credentials.Include(c => c.Teams)
            .SingleOrDefaultAsync(c => c.OrganizationId == Me.OrganizationId && c.Key == key, HttpContext.RequestAborted);
        if (credential is not null && (Me.IsOwner || Manages(credential)))
        {
            return true;
        }
        Error = "There is no such credential that you manage.";
        return false;
    }

    /// <summary>A team admin manages a credential limited to teams they all administer.</summary>
    bool Manages(Credential credential) =>
        credential.Teams.Count > 0 && credential.Teams.All(c => Teams.Any(t => t.Id == c.TeamId));
}
