using System.Text.RegularExpressions;
using Cadence.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cadence.Tests.Console;

/// <summary>The console behind a load balancer: two nodes on one PostgreSQL database.</summary>
public sealed class ConsoleNodesTests(Browser browser)
{
    [Fact]
    public async Task ASessionStartedOnOneNodeWorksOnTheOtherAndSigningOutEndsItOnBoth()
    {
        await using var console = await ConsoleApp.StartAsync(browser, Store.Postgres);
        await using var nodeB = await CadenceApp.StartAsync(console.Database);
        var page = console.Page;
        await console.SignInAsync();

        // Same host, another port: the browser sends the same cookie, which node B must read with the shared keys.
        await page.GotoAsync(new Uri(nodeB.Address, "/api").ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API credentials" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "New Credential" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("Made on node B");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("credential-secret")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GotoAsync(new Uri(console.App.Address, "/api").ToString());
        await Expect(page).ToHaveURLAsync(new Regex("/login"));
    }
}
