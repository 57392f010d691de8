using System.Text.RegularExpressions;
using Cadence.Users;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cadence.Tests.Console;

public sealed class TeamsUsersFieldsTests(Browser browser)
{
    [Fact]
    public async Task An_owner_adds_a_team_and_a_bad_one_gets_a_message()
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
    public async Task An_owner_adds_a_user_who_can_then_sign_in_and_disabling_ends_their_session()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        await console.App.AddTeamAsync("SS", "Student Success");
        var page = console.Page;
        await console.SignInAsync();
        await page.GotoAsync("/users");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Ursula User");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync("ursula@college.edu");
        await page.GetByLabel("Staff ID").FillAsync("S100");
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Add a user" });
        await form.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("User");
        await form.GetByLabel("Team", new() { Exact = true }).SelectOptionAsync("SS");
        await page.GetByLabel("Password").FillAsync(ConsoleApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "ursula@college.edu" });
        await Expect(row).ToContainTextAsync("User in SS");
        await page.ScreenshotAsync("users");

        // Ursula signs in in her own browser.
        var ursula = await browser.NewPageAsync(console.App.Address);
        await ursula.GotoAsync("/login");
        await ursula.GetByLabel("Email").FillAsync("ursula@college.edu");
        await ursula.GetByLabel("Password").FillAsync(ConsoleApp.Password);
        await ursula.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(ursula.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Disable ursula@college.edu" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Disabled");

        await ursula.ReloadAsync();
        await Expect(ursula).ToHaveURLAsync(new Regex("/login"));
        await ursula.GetByLabel("Email").FillAsync("ursula@college.edu");
        await ursula.GetByLabel("Password").FillAsync(ConsoleApp.Password);
        await ursula.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(ursula.GetByRole(AriaRole.Alert)).ToContainTextAsync("do not match");
        await ursula.Context.DisposeAsync();
    }

    [Fact]
    public async Task A_team_admin_manages_only_their_teams_people()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        await console.App.AddTeamAsync("SS");
        await console.App.AddTeamAsync("ADM");
        await console.AddUserAsync("adam@college.edu", "S200", UserRole.Admin, "SS");
        await console.AddUserAsync("alice@college.edu", "S300", UserRole.User, "ADM");
        var page = console.Page;
        await console.SignInAsync("adam@college.edu");
        await page.GotoAsync("/users");

        await Expect(page.GetByText("alice@college.edu")).ToHaveCountAsync(0);
        await Expect(page.GetByText(ConsoleApp.OwnerEmail)).ToHaveCountAsync(0);
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Add a user" });
        await Expect(form.GetByLabel("Team", new() { Exact = true }).Locator("option")).ToHaveTextAsync(["SS · SS team"]);

        // A forged choice of a team he does not administer is refused, and nobody is added.
        await form.GetByLabel("Email", new() { Exact = true }).FillAsync("eve@college.edu");
        await form.GetByLabel("Staff ID").FillAsync("S400");
        await form.GetByLabel("Password").FillAsync(ConsoleApp.Password);
        await form.GetByLabel("Team", new() { Exact = true }).EvaluateAsync("select => select.options[0].value = 'ADM'");
        var post = page.WaitForResponseAsync(r => r.Request.Method == "POST");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        Assert.Equal(403, (await post).Status);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("teams they administer");
        var users = await console.App.WithServicesAsync((services, organization) => services.GetRequiredService<UserService>().ListAsync(organization.Id));
        Assert.DoesNotContain(users, u => u.Email == "eve@college.edu");
    }

    [Fact]
    public async Task A_team_admin_adds_a_field_and_sees_its_flags()
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
