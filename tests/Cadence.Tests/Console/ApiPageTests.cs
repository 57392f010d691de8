using System.Net;
using Cadence.Tests.Infrastructure;
using Cadence.Users;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cadence.Tests.Console;

public sealed class ApiPageTests(Browser browser)
{
    [Fact]
    public async Task TheSeedWalkThroughCreateCopyUseReloadRevoke()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        await console.App.AddTeamAsync("SS", "Student Success");
        var page = console.Page;
        await console.SignInAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "API" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "New Credential" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("Banner nightly import");
        await page.ScreenshotAsync("api-new-credential");
        var created = page.WaitForResponseAsync(r => r.Request.Method == "POST");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        var answer = await created;
        Assert.Contains("no-store", answer.Headers["cache-control"]);

        await Expect(page.GetByText("will not be shown again")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy key" }).ClickAsync();
        var key = await page.EvaluateAsync<string>("navigator.clipboard.readText()");
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy secret" }).ClickAsync();
        var secret = await page.EvaluateAsync<string>("navigator.clipboard.readText()");
        Assert.Equal(await page.GetByTestId("credential-key").InnerTextAsync(), key);
        Assert.Equal(await page.GetByTestId("credential-secret").InnerTextAsync(), secret);
        Assert.StartsWith("cdk_", key);
        Assert.StartsWith("cds_", secret);
        await page.ScreenshotAsync("api-credential-created");

        using var client = console.App.Http(key, secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/teams", TestContext.Current.CancellationToken)).StatusCode);

        await page.ReloadAsync();
        Assert.DoesNotContain(secret, await page.ContentAsync());
        await Expect(page.GetByTestId("credential-secret")).ToHaveCountAsync(0);
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Banner nightly import" });
        await Expect(row).ToContainTextAsync(key);
        await page.ScreenshotAsync("api-list");

        await page.GetByRole(AriaRole.Button, new() { Name = "Actions for Banner nightly import" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Menu)).ToBeVisibleAsync();
        await page.ScreenshotAsync("api-row-menu");
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Revoke" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByLabel("Reason (optional)").FillAsync("pasted in a ticket");
        await page.ScreenshotAsync("api-revoke-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();

        await Expect(row).ToContainTextAsync("Revoked");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v2/teams", TestContext.Current.CancellationToken)).StatusCode);
        Assert.DoesNotContain(secret, await page.ContentAsync());
    }

    [Fact]
    public async Task TheRowMenuWorksFromTheKeyboardAndRollShowsTheNewSecretOnce()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        var old = await console.App.CreateCredentialAsync("Slate admissions sync");
        var page = console.Page;
        await console.SignInAsync();
        await page.GotoAsync("/api");

        await page.GetByRole(AriaRole.Button, new() { Name = "Actions for Slate admissions sync" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "Roll secret" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "Revoke" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.GetByRole(AriaRole.Menu)).ToBeHiddenAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Actions for Slate admissions sync" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Roll secret" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByLabel("Old secret keeps working for").SelectOptionAsync("0");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Roll secret" }).ClickAsync();

        var secret = await page.GetByTestId("credential-secret").InnerTextAsync();
        Assert.Equal(old.Credential.Key, await page.GetByTestId("credential-key").InnerTextAsync());
        using var rolled = console.App.Http(old.Credential.Key, secret);
        using var stale = console.App.Http(old);
        Assert.Equal(HttpStatusCode.OK, (await rolled.GetAsync("/v2/teams", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stale.GetAsync("/v2/teams", TestContext.Current.CancellationToken)).StatusCode);

        await page.ReloadAsync();
        Assert.DoesNotContain(secret, await page.ContentAsync());
    }

    [Fact]
    public async Task TheListShowsActiveExpiringAndExpired()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        await console.App.CreateCredentialAsync("Never ends");
        await console.App.CreateCredentialAsync("Ends soon", expiresIn: TimeSpan.FromDays(3));
        var page = console.Page;
        await console.SignInAsync();
        await page.GotoAsync("/api");
        var lasting = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Never ends" });
        var ending = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Ends soon" });
        await Expect(lasting).ToContainTextAsync("Active");
        await Expect(ending).ToContainTextAsync("Expiring");

        console.App.Time.Advance(TimeSpan.FromDays(4));
        await console.SignInAsync(); // four days outlast a 12-hour session
        await page.GotoAsync("/api");
        await Expect(ending).ToContainTextAsync("Expired");
        await Expect(lasting).ToContainTextAsync("Active");
    }

    [Fact]
    public async Task ATeamAdminSeesAndCreatesOnlyCredentialsForTheirTeams()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        await console.App.AddTeamAsync("SS");
        await console.App.AddTeamAsync("ADM");
        await console.App.CreateCredentialAsync("Everything", teams: []);
        await console.App.CreateCredentialAsync("Admissions only", teams: ["ADM"]);
        await console.App.CreateCredentialAsync("Success only", teams: ["SS"]);
        await console.AddUserAsync("adam@college.edu", "S200", UserRole.Admin, "SS");
        var page = console.Page;
        await console.SignInAsync("adam@college.edu");
        await page.GotoAsync("/api");

        await Expect(page.GetByText("Success only", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByText("Admissions only")).ToHaveCountAsync(0);
        await Expect(page.GetByText("Everything")).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "New Credential" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("No team chosen");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("teams they administer");
        await Expect(page.GetByTestId("credential-secret")).ToHaveCountAsync(0);
    }
}
