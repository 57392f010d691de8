using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Cadence.Console.Pages;

/// <summary>The first owner's form, from the printed link. Its body is small (see <see cref="ConsoleFormLimits"/>).</summary>
[SmallForm]
[RequestFormLimits(ValueLengthLimit = ConsoleFormLimits.MaxValueLength, ValueCountLimit = ConsoleFormLimits.MaxValueCount, KeyLengthLimit = ConsoleFormLimits.MaxKeyLength)]
public sealed class SetupModel(SetupLinks links, ConsoleSessions sessions) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }
    [BindProperty] public string Name { get; set; } = "";
    [BindProperty] public string Email { get; set; } = "";
    [BindProperty] public string StaffId { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    public bool Usable { get; set; }
    public string? Error { get; set; }

    public async Task OnGetAsync()
    {
        Usable = await links.IsUsableAsync(Token, HttpContext.RequestAborted);
        if (!Usable)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    public async Task<IActionResult> OnPostAsync()
    {
        try
        {
            var owner = await links.CreateOwnerAsync(Token, Name, Email, StaffId, Password,
                HttpContext.Connection.RemoteIpAddress?.ToString(), HttpContext.RequestAborted);
            await sessions.SignInAsync(HttpContext, owner);
            return Redirect("/api");
        }
        catch (CadenceException e)
        {
            Usable = await links.IsUsableAsync(Token, HttpContext.RequestAborted);
            Error = e.Message;
            Response.StatusCode = e.StatusCode;
            return Page();
        }
    }
}
