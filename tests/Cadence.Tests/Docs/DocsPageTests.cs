using System.Text.Json;
using System.Text.RegularExpressions;
using Cadence.Tests.Console;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cadence.Tests.Docs;

/// <summary>The API reference at /docs in Chromium: every call, from this server alone, within its policy.</summary>
public sealed class DocsPageTests(Browser browser)
{
    [Fact]
    public async Task TheReferenceShowsEveryCallAndFetchesNothingFromAnotherHost()
    {
        await using var docs = await DocsPage.OpenAsync(browser, "/docs");
        var page = docs.Page;
        await Expect(Heading(page, "Authentication")).ToBeVisibleAsync();

        // Redoc shows one tag's calls at a time: each call, by its deep link, scrolled into view with its title.
        var document = JsonDocument.Parse(await (await page.APIRequest.GetAsync("/openapi/v2.json")).TextAsync()).RootElement;
        var calls = (from path in document.GetProperty("paths").EnumerateObject()
                     where path.Name.StartsWith("/v2/", StringComparison.Ordinal)
                     from operation in path.Value.EnumerateObject()
                     select (Id: operation.Value.GetProperty("operationId").GetString()!, Title: operation.Value.GetProperty("summary").GetString()!)).ToList();
        Assert.True(calls.Count >= 17, $"{calls.Count} calls");
        Assert.Contains(calls, c => c.Id == "Import");
        Assert.Contains(calls, c => c.Id == "CreateAndSend");
        foreach (var (id, title) in calls)
        {
            await page.EvaluateAsync("id => location.hash = 'operation/' + id", id);
            await Expect(Heading(page, title)).ToBeInViewportAsync();
        }
        // The last call shown has its code sample beside it.
        await Expect(page.GetByText("\"$CADENCE_KEY:$CADENCE_SECRET\"").First).ToBeVisibleAsync();
        await page.ScreenshotAsync("docs-reference");
        docs.AssertOnlyThisServer();
    }

    /// <summary>A section or call heading by its text (its accessible name also holds Redoc's "link to …" anchor).</summary>
    static ILocator Heading(IPage page, string text) =>
        page.Locator("h1, h2").Filter(new() { HasTextRegex = new Regex("^" + Regex.Escape(text) + "$") });

    [Fact]
    public async Task TheHostedDeepLinkLandsOnImport()
    {
        await using var docs = await DocsPage.OpenAsync(browser, "/docs/#operation/Import");
        var page = docs.Page;

        await Expect(Heading(page, "Import contacts")).ToBeInViewportAsync();
        Assert.True(await page.EvaluateAsync<double>("window.scrollY") > 0, "the page did not scroll to the call");
        // Redoc 3 rewrites the hosted form to its own route for the call, under its tag.
        await Expect(page).ToHaveURLAsync(new Regex("/docs/?#/contacts/import$"));
        await Expect(page.GetByText("POST").First).ToBeVisibleAsync();

        await page.GotoAsync("/docs#operation/CreateAndSend");
        await page.ReloadAsync();
        await Expect(Heading(page, "Text one contact")).ToBeInViewportAsync();
        await page.ScreenshotAsync("docs-deep-link");
        docs.AssertOnlyThisServer();
    }

    /// <summary>The search runs without a web worker (whose eval test the policy refuses) and still finds calls.</summary>
    [Fact]
    public async Task SearchFindsACallWithinThePolicy()
    {
        await using var docs = await DocsPage.OpenAsync(browser, "/docs");
        var page = docs.Page;

        await page.Keyboard.PressAsync("Control+K");
        await page.GetByPlaceholder("Search docs...").FillAsync("CreateAndSend");
        var found = page.GetByText("/v2/messages/CreateAndSend").First;
        await Expect(found).ToBeVisibleAsync();
        await found.ClickAsync();
        await Expect(Heading(page, "Text one contact")).ToBeInViewportAsync();
        await page.ScreenshotAsync("docs-search");
        docs.AssertOnlyThisServer();
    }

    /// <summary>axe-core on the page. Findings inside Redoc's own markup are reported, not failed: they are not ours to fix.</summary>
    [Fact]
    public async Task TheReferencePassesAxeWhereTheMarkupIsOurs()
    {
        await using var docs = await DocsPage.OpenAsync(browser, "/docs#operation/Import");
        var page = docs.Page;
        await Expect(Heading(page, "Import contacts")).ToBeVisibleAsync();

        AxeResult result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        // Everything Redoc renders is inside #redoc; what is ours is the page around it.
        AxeResult shell = await page.RunAxe(new Deque.AxeCore.Commons.AxeRunContext { Exclude = [new Deque.AxeCore.Commons.AxeSelector("#redoc")] });
        var ours = shell.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        // Kept beside the screenshots, so that the findings in Redoc's markup can be reported upstream.
        await File.WriteAllLinesAsync(Path.Combine(Browser.ScreenshotDirectory, "docs-axe.txt"), result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help}; {v.Nodes.Count()} nodes, e.g. {string.Join(" | ", v.Nodes.Take(2).Select(n => n.Html))}"),
            TestContext.Current.CancellationToken);
        Assert.True(ours.Count == 0, string.Join("\n", ours.Select(v => $"{v.Id}: {v.Help} — " + string.Join("; ", v.Nodes.Take(3).Select(n => n.Html)))));
    }
}
