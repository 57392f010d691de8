using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cadence.Tests.Console;

public sealed class AuditPageTests(Browser browser)
{
    [Fact]
    public async Task TheAuditLogShowsWhoDidWhatFromWhere()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        var page = console.Page;
        await page.GotoAsync("/login");
        await ConsoleApp.SubmitSignInAsync(page, ConsoleApp.OwnerEmail, "a wrong guess");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("do not match");
        await console.SignInAsync();
        await page.GotoAsync("/api");
        await page.GetByRole(AriaRole.Button, new() { Name = "New Credential" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("Canvas roster sync");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        var secret = await page.GetByTestId("credential-secret").InnerTextAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        var created = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "credential.created" });
        await Expect(created).ToContainTextAsync("user:" + ConsoleApp.OwnerEmail);
        await Expect(created).ToContainTextAsync("127.0.0.1");
        await Expect(created).ToContainTextAsync("Canvas roster sync");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "user.signed_in" })).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "user.sign_in_failed" })).ToContainTextAsync("127.0.0.1");
        Assert.DoesNotContain(secret, await page.ContentAsync());
        await page.ScreenshotAsync("audit");

        await page.GetByLabel("Show").SelectOptionAsync(new SelectOptionValue { Label = "Credentials" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "user.signed_in" })).ToHaveCountAsync(0);
        await Expect(created).ToHaveCountAsync(1);
    }
}
