using Cadence.Tests.Contacts;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Cadence.Tests.Console;

/// <summary>Every console page, checked by axe-core in the browser: labels, names, roles, contrast, structure.</summary>
public sealed class AccessibilityTests(Browser browser)
{
    [Fact]
    public async Task EveryPagePassesAxeWithoutSeriousOrCriticalViolations()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        await console.App.AddTeamAsync("SS", "Student Success");
        var credential = await console.App.CreateCredentialAsync("Banner nightly import");
        using var client = console.App.Http(credential);
        var import = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(client, "/v2/contacts/SS/import",
            new { contacts = new[] { ContactsApp.Row("P1", "Ada", "Lovelace", "716-555-0101") } }, TestContext.Current.CancellationToken);
        import.EnsureSuccessStatusCode();
        var page = console.Page;
        var problems = new List<string>();

        await Check(page, "/login", problems);
        await console.SignInAsync();
        foreach (var path in new[]
        {
            "/api", "/teams", "/users", "/fields?team=SS", "/contacts?team=SS&q=Ada", "/contacts/upload?team=SS", "/messages?team=SS",
            "/simulator?team=SS", "/audit", "/account",
        })
        {
            await Check(page, path, problems);
        }
        // The row menu and a dialog, open.
        await page.GotoAsync("/api");
        await page.GetByRole(AriaRole.Button, new() { Name = "Actions for Banner nightly import" }).ClickAsync();
        await Check(page, null, problems);
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Revoke" }).ClickAsync();
        await Check(page, null, problems);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    static async Task Check(IPage page, string? path, List<string> problems)
    {
        if (path is not null)
        {
            await page.GotoAsync(path);
        }
        AxeResult result = await page.RunAxe();
        foreach (var violation in result.Violations.Where(v => v.Impact is "serious" or "critical"))
        {
            problems.Add($"{page.Url}: {violation.Id} ({violation.Impact}): {violation.Help} — " +
                string.Join("; ", violation.Nodes.Take(3).Select(n => string.Join(" ", n.Target))));
        }
    }
}
