using Cadence.Data;
using Cadence.Teams;
using Cadence.Webhooks;
using Microsoft.AspNetCore.Mvc;

namespace Cadence.Console.Pages.Webhooks;

/// <summary>The webhook endpoints: add one (its secret shown on this one answer), list, enable/disable, remove.</summary>
public sealed class IndexModel(CadenceDb db, WebhookService webhooks) : WebhookPage(db, webhooks)
{
    public List<WebhookEndpoint> Endpoints { get; set; } = [];

    /// <summary>The endpoint just added and its signing secret: shown on this answer only.</summary>
    public IssuedWebhook? Issued { get; set; }

    [BindProperty(Name = "Url")] public string EndpointUrl { get; set; } = "";
    [BindProperty] public string[] EventTypes { get; set; } = [];
    [BindProperty] public string[] TeamCodes { get; set; } = [];
    [BindProperty] public string Id { get; set; } = "";

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAddAsync()
    {
        await TryAsync(async () =>
        {
            if (!Me.IsOwner && (TeamCodes.Length == 0 || TeamCodes.Any(code => !Teams.Any(t => t.DepartmentCode == DepartmentCode.Normalize(code)))))
            {
                throw new CadenceException("A team admin adds webhooks for the teams they administer: choose at least one of them.");
            }
            Issued = await Webhooks.AddAsync(Me.OrganizationId, EndpointUrl, EventTypes, TeamCodes, Actor, HttpContext.RequestAborted);
        });
        await LoadAsync();
        return Page();
    }

    public Task<IActionResult> OnPostDisableAsync() => ChangeAsync(e => Webhooks.SetEnabledAsync(Me.OrganizationId, e.PublicId, false, Actor), "Disabled {0}.");

    public Task<IActionResult> OnPostEnableAsync() => ChangeAsync(e => Webhooks.SetEnabledAsync(Me.OrganizationId, e.PublicId, true, Actor), "Enabled {0}.");

    public Task<IActionResult> OnPostRemoveAsync() =>
        ChangeAsync(e => Webhooks.RemoveAsync(Me.OrganizationId, e.PublicId, Actor), "Removed {0} and its delivery log.");

    async Task<IActionResult> ChangeAsync(Func<WebhookEndpoint, Task> change, string notice)
    {
        if (await FindManagedAsync(Id) is { } endpoint && await TryAsync(() => change(endpoint)))
        {
            Notice = string.Format(System.Globalization.CultureInfo.InvariantCulture, notice, endpoint.Url);
            return RedirectToPage();
        }
        await LoadAsync();
        return Page();
    }

    async Task LoadAsync() =>
        Endpoints = (await Webhooks.ListAsync(Me.OrganizationId, HttpContext.RequestAborted)).Where(Manages).ToList();
}
