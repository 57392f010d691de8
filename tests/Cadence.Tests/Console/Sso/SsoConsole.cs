using Cadence.Data;
using Cadence.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cadence.Tests.Console.Sso;

/// <summary>The test provider and a console that signs in through it, with the client registered for the console.</summary>
public sealed class SsoConsole : IAsyncDisposable
{
    public required TestProvider Provider { get; init; }
    public required ConsoleApp Console { get; init; }
    public required Browser Browser { get; init; }
    public IPage Page => Console.Page;

    public static async Task<SsoConsole> StartAsync(Browser browser, Dictionary<string, string?>? settings = null, Store store = Store.Sqlite,
        bool endSession = true, bool withOwner = true)
    {
        var provider = await TestProvider.StartAsync(endSession);
        var console = await ConsoleApp.StartAsync(browser, store, provider.Settings(settings), withOwner);
        await provider.RegisterClientAsync(console.App.Address);
        // The app's clock starts in the past; the correlation and nonce cookies it would date from then expire at once in the browser.
        console.App.Time.SetUtcNow(DateTimeOffset.UtcNow);
        return new SsoConsole { Provider = provider, Console = console, Browser = browser };
    }

    /// <summary>Clicks "Sign in with Campus Login" and signs in at the provider's own form, whatever Cadence answers then.</summary>
    public static async Task StartSignInAsync(IPage page)
    {
        await page.GotoAsync("/login");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Campus Login" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue at the provider" }).ClickAsync();
    }

    public static async Task SignInAsync(IPage page)
    {
        await StartSignInAsync(page);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }

    /// <summary>Another person's browser (a fresh context: no Cadence cookie, no provider session).</summary>
    public Task<IPage> NewPageAsync(Browser browser) => browser.NewPageAsync(Console.App.Address);

    public Task<Users.User> UserAsync(string email) => Console.App.WithServicesAsync((services, _) =>
        services.GetRequiredService<CadenceDb>().Users.Include(u => u.Memberships).SingleAsync(u => u.Email == email));

    public Task<List<Audit.AuditEvent>> AuditAsync(string action) => Console.App.WithServicesAsync((services, _) =>
        services.GetRequiredService<CadenceDb>().AuditEvents.Where(a => a.Action == action).OrderBy(a => a.Id).ToListAsync());

    public async ValueTask DisposeAsync()
    {
        await Console.DisposeAsync();
        await Provider.DisposeAsync();
    }
}
