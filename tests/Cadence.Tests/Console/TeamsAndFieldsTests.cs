using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cadence.Tests.Console;

public sealed class TeamsAndFieldsTests(Browser browser)
{
    [Fact]
    public async Task AnOwnerAddsATeamAndABadOneGetsAMessage()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        var page = console.Page;
        await console.SignInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Teams" }).ClickAsync();

        await page.GetByLabel("Department code").FillAsync("adm");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Admissions");
        await page.GetByLabel("Time zone").FillAsync("America/Chicago");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add team" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "ADM" })).ToContainTextAsync("America/Chicago");
        await page.ScreenshotAsync("teams");

        await page.GetByLabel("Department code").FillAsync("ADM");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Again");
        var again = page.WaitForResponseAsync(r => r.Request.Method == "POST");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add team" }).ClickAsync();
        Assert.Equal(200, (await again).Status);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("already exists");

        await page.GetByLabel("Department code").FillAsync("FIN");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Financial Aid");
        await page.GetByLabel("Time zone").FillAsync("Mars/Olympus");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add team" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("is not a time zone");
    }

    [Fact]
    public async Task ATeamAdminAddsAFieldAndSeesItsFlags()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        await console.App.AddTeamAsync("SS");
        var page = console.Page;
        await console.SignInAsync();
        await page.GotoAsync("/fields?team=SS");

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Major");
        await page.GetByLabel("Usable in messages as a merge field").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add field" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Major" });
        await Expect(row).ToContainTextAsync("Yes, as {Major}");
        await page.ScreenshotAsync("fields");

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("FirstName");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add field" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("standard contact column");
        var fields = await console.App.CliAsync("fields", "list", "SS", "--json");
        Assert.Contains("Major", fields.Out);
    }
}
