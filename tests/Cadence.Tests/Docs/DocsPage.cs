using Cadence.Tests.Console;
using Cadence.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Cadence.Tests.Docs;

/// <summary>
/// A server and a browser page on its /docs, recording every request the page makes and every
/// Content-Security-Policy violation it reports; a violation fails the test when it is disposed.
/// </summary>
public sealed class DocsPage : IAsyncDisposable
{
    public required CadenceApp App { get; init; }
    public required IPage Page { get; init; }
    TestDatabase? database;
    readonly List<string> requests = [];
    readonly List<string> violations = [];

    public static async Task<DocsPage> OpenAsync(Browser browser, string path)
    {
        var database = await TestDatabase.CreateAsync(Store.Sqlite);
        var app = await CadenceApp.StartAsync(database);
        var page = await browser.NewPageAsync(app.Address);
        var docs = new DocsPage { App = app, Page = page, database = database };
        page.Request += (_, request) => { lock (docs.requests) { docs.requests.Add(request.Url); } };
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                lock (docs.violations) { docs.violations.Add(message.Text); }
            }
        };
        // The event also reports violations in workers and ones a script caught (an eval it only tried).
        await page.ExposeFunctionAsync("cadenceViolation", (string text) => { lock (docs.violations) { docs.violations.Add(text); } });
        await page.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => window.cadenceViolation(e.violatedDirective + ' ' + e.blockedURI))");
        await page.GotoAsync(path);
        await Microsoft.Playwright.Assertions.Expect(page.Locator(".menu-content")).ToBeVisibleAsync();
        return docs;
    }

    /// <summary>Every request so far went to this server.</summary>
    public void AssertOnlyThisServer()
    {
        var origin = App.Address.GetLeftPart(UriPartial.Authority);
        List<string> seen;
        lock (requests) { seen = [.. requests]; }
        Assert.Contains(seen, r => r.StartsWith(origin + "/openapi/v2.json", StringComparison.Ordinal));
        var elsewhere = seen.Where(r => !r.StartsWith(origin + "/", StringComparison.Ordinal) && !r.StartsWith("data:", StringComparison.Ordinal)
            && !r.StartsWith("blob:" + origin, StringComparison.Ordinal)).ToList();
        Assert.True(elsewhere.Count == 0, "Requests to another host: " + string.Join("\n", elsewhere));
    }

    public async ValueTask DisposeAsync()
    {
        await Page.Context.DisposeAsync();
        await App.DisposeAsync();
        await database!.DisposeAsync();
        Assert.True(violations.Count == 0, "The reference broke its Content-Security-Policy: " + string.Join("\n", violations));
    }
}
