using Cadence.Data;
using Cadence.Teams;
using Cadence.Webhooks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Cadence.Console.Pages.Webhooks;

/// <summary>
/// Who manages which webhooks: owners every one; a team admin those limited to teams they all administer, and only
/// such new ones (an all-teams webhook would hear other teams' students). Anyone else gets a 403.
/// </summary>
public abstract class WebhookPage(CadenceDb db, WebhookService webhooks) : ConsolePage
{
    protected CadenceDb Db { get; } = db;
    protected WebhookService Webhooks { get; } = webhooks;

    /// <summary>The teams this person administers (all of them for an owner).</summary>
    public List<Team> Teams { get; set; } = [];

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (!Me.IsAdmin)
        {
            context.Result = new ForbidResult(ConsoleDefaults.Scheme);
            return;
        }
        Teams = (await MyTeamsAsync(Db)).Where(t => Me.Administers(t.Id)).ToList();
        await next();
    }

    protected bool Manages(WebhookEndpoint endpoint) =>
        Me.IsOwner || (endpoint.Teams.Count > 0 && endpoint.Teams.All(t => Teams.Any(mine => mine.Id == t.TeamId)));

    /// <summary>The endpoint, if this person manages it; otherwise null with the page's error set (the same words whether it exists or not).</summary>
    protected async Task<WebhookEndpoint?> FindManagedAsync(string id)
    {
        WebhookEndpoint? endpoint = null;
        try
        {
            endpoint = await Webhooks.FindAsync(Me.OrganizationId, id, HttpContext.RequestAborted);
        }
        catch (CadenceException)
        {
        }
        if (endpoint is not null && Manages(endpoint))
        {
            return endpoint;
        }
        Error = "There is no such webhook that you manage.";
        HttpContext.Response.StatusCode = StatusCodes.Status404NotFound;
        return null;
    }

    public static string When(DateTime at) => TeamPage.When(at);
}
