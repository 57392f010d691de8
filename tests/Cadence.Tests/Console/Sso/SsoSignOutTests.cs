using System.Text.RegularExpressions;
using Cadence.Tests.Infrastructure;
using Cadence.Users;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cadence.Tests.Console.Sso;

/// <summary>Signing out of a single sign-on: the session row ends everywhere, and so does the provider's session.</summary>
public sealed class SsoSignOutTests(Browser browser)
{
    [Fact]
    public async Task SignOutEndsTheProviderSessionWhenItOffersAnEndSessionEndpoint()
    {
        await using var sso = await SsoConsole.StartAsync(browser);
        sso.Provider.Identity.Email = "olive@college.edu";
        await sso.Console.AddUserAsync("olive@college.edu", "S001", UserRole.Owner, null);
        await SsoConsole.SignInAsync(sso.Page);

        await sso.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(sso.Page).ToHaveURLAsync(new Regex($"^{Regex.Escape(sso.Console.App.Address.ToString().TrimEnd('/'))}/login"));
        Assert.Equal(1, sso.Provider.EndSessionRequests);
        // The provider forgot the browser too: the next single sign-on asks at its form again.
        await sso.Page.GotoAsync("/login?sso=1");
        await Expect(sso.Page.GetByRole(AriaRole.Button, new() { Name = "Continue at the provider" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task SignOutWithoutAnEndSessionEndpointEndsOnlyTheCadenceSession()
    {
        await using var sso = await SsoConsole.StartAsync(browser, endSession: false);
        sso.Provider.Identity.Email = "olive@college.edu";
        await sso.Console.AddUserAsync("olive@college.edu", "S001", UserRole.Owner, null);
        await SsoConsole.SignInAsync(sso.Page);

        await sso.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(sso.Page).ToHaveURLAsync(new Regex("/login$"));
        await sso.Page.GotoAsync("/api");
        await Expect(sso.Page).ToHaveURLAsync(new Regex("/login"));
    }

    [Fact]
    public async Task SignOutOfASingleSignOnEndsTheSessionOnBothPostgresNodes()
    {
        await using var sso = await SsoConsole.StartAsync(browser, store: Store.Postgres);
        await using var nodeB = await CadenceApp.StartAsync(sso.Console.Database, sso.Provider.Settings());
        nodeB.Time.SetUtcNow(DateTimeOffset.UtcNow);
        await sso.Provider.RegisterClientAsync(nodeB.Address);
        sso.Provider.Identity.Email = "olive@college.edu";
        await sso.Console.AddUserAsync("olive@college.edu", "S001", UserRole.Owner, null);
        var page = sso.Page;
        await SsoConsole.SignInAsync(page);

        await page.GotoAsync(new Uri(nodeB.Address, "/api").ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API credentials" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/login"));

        await page.GotoAsync(new Uri(sso.Console.App.Address, "/api").ToString());
        await Expect(page).ToHaveURLAsync(new Regex("/login"));
        Assert.Equal(1, sso.Provider.EndSessionRequests);
    }
}
