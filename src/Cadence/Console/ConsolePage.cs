using Cadence.Audit;
using Cadence.Data;
using Cadence.Teams;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Console;

/// <summary>What every signed-in console page has: the user, their audit name, their teams and a message line.</summary>
public abstract class ConsolePage : PageModel
{
    public ConsoleUser Me => HttpContext.ConsoleUser();

    public Actor Actor => Me.Actor(HttpContext);

    /// <summary>A problem to show above the page's form (a rule the input broke).</summary>
    public string? Error { get; set; }

    /// <summary>What the last action did: shown once, by the next page (see <see cref="LiveReadsLeaveTempData"/>).</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>The teams this user may open: every team for an owner, their own for anyone else.</summary>
    protected Task<List<Team>> MyTeamsAsync(CadenceDb db)
    {
        var member = Me.Teams.Keys.ToList();
        return db.Teams.Where(t => t.OrganizationId == Me.OrganizationId && (Me.IsOwner || member.Contains(t.Id)))
            .OrderBy(t => t.DepartmentCode).ToListAsync(HttpContext.RequestAborted);
    }

    /// <summary>Whether the form's value for this field could not be read (a word where a number goes).</summary>
    protected bool IsInvalid(string field) =>
        ModelState.GetFieldValidationState(field) == Microsoft.AspNetCore.Mvc.ModelBinding.ModelValidationState.Invalid;

    /// <summary>Runs an action; a broken rule becomes the page's error instead of an error page.</summary>
    protected async Task<bool> TryAsync(Func<Task> action)
    {
        try
        {
            await action();
            return true;
        }
        catch (CadenceException e)
        {
            Error = e.Message;
            return false;
        }
    }
}

/// <summary>
/// TempData (the one-time notice after an action) that a live page's read of itself (console.js sends X-Live) neither
/// uses up nor writes. That read can run between an action and the redirect that shows what the action did (the action
/// signals open pages, and CI once saw the notice taken so), and its answer can arrive after the redirected page's
/// (keeping the notice then would bring it back on the page after).
/// </summary>
sealed class LiveReadsLeaveTempData(ITempDataProvider cookies) : ITempDataProvider
{
    /// <summary>The header console.js's live refresh sends.</summary>
    public const string LiveReadHeader = "X-Live";

    public IDictionary<string, object> LoadTempData(HttpContext context) => cookies.LoadTempData(context);

    public void SaveTempData(HttpContext context, IDictionary<string, object> values)
    {
        if (!context.Request.Headers.ContainsKey(LiveReadHeader))
        {
            cookies.SaveTempData(context, values);
        }
    }
}
