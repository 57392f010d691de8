using Microsoft.AspNetCore.Mvc;

namespace Cadence.Console.Pages;

/// <summary>The console's front door: administrators land on the API page, everyone else on contacts.</summary>
public sealed class IndexModel : ConsolePage
{
    public IActionResult OnGet() => Redirect(Me.IsAdmin ? "/api" : "/contacts");
}
