using Cadence.Data;
using Cadence.Webhooks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Console.Pages.Webhooks;

/// <summary>One endpoint's delivery log, newest first, a page at a time; "Send test event" and "Resend".</summary>
public sealed class DeliveriesModel(CadenceDb db, WebhookService webhooks) : WebhookPage(db, webhooks)
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "id")] public string Id { get; set; } = "";

    /// <summary>Shows deliveries older than this one (the next page); none for the newest.</summary>
    [BindProperty(SupportsGet = true, Name = "before")] public long? Before { get; set; }
    [BindProperty] public long DeliveryId { get; set; }

    public WebhookEndpoint? Endpoint { get; set; }
    public List<WebhookDelivery> Deliveries { get; set; } = [];
    public long? OlderThan { get; set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostTestAsync()
    {
        if (await FindManagedAsync(Id) is { } endpoint && await TryAsync(() => Webhooks.SendTestAsync(Me.OrganizationId, endpoint.PublicId, Actor)))
        {
            Notice = endpoint.Enabled ? "A test event is on its way; reload to see how it went." : "A test event waits until the webhook is enabled again.";
            return RedirectToPage(new { id = endpoint.PublicId });
        }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostResendAsync()
    {
        if (await FindManagedAsync(Id) is { } endpoint
            && await TryAsync(() => Webhooks.ResendAsync(Me.OrganizationId, endpoint.PublicId, DeliveryId, Actor, HttpContext.RequestAborted)))
        {
            Notice = "The delivery is sent again, with the same webhook-id.";
            return RedirectToPage(new { id = endpoint.PublicId });
        }
        await LoadAsync();
        return Page();
    }

    async Task LoadAsync()
    {
        var error = Error;
        Endpoint = await FindManagedAsync(Id);
        Error = error ?? Error;
        if (Endpoint is null)
        {
            return;
        }
        var query = Db.WebhookDeliveries().AsNoTracking().Where(d => d.EndpointId == Endpoint.Id);
        if (Before is { } before)
        {
            query = query.Where(d => d.Id < before);
        }
        (Deliveries, OlderThan) = await NewestFirst.PageAsync(query.OrderByDescending(d => d.Id), PageSize, d => d.Id, HttpContext.RequestAborted);
    }

    public static string Outcome(WebhookDelivery d) =>
        d.ResponseCode is { } code ? $"HTTP {code}" : d.ResponseText ?? (d.Attempts == 0 ? "not tried yet" : "");
}
