using Cadence.Tests.Console;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cadence.Tests.Docs;

public sealed class ConsoleLinkTests(Browser browser)
{
    [Fact]
    public async Task TheConsoleApiPageCarriesTheSeedSentenceLinkingTheReference()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        var page = console.Page;
        await console.SignInAsync();
        await page.GotoAsync("/api");

        await Expect(page.GetByText("For full API documentation, visit this page.")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "this page", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/docs"));
        await Expect(page.Locator("h2").Filter(new() { HasText = "Authentication" })).ToBeVisibleAsync();
    }
}
