using System.Text.RegularExpressions;
using Cadence.Users;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cadence.Tests.Console;

public sealed class UsersPageTests(Browser browser)
{
    [Fact]
    public async Task AnOwnerAddsAUserWithARoleInATeamWhoCanThenSignIn()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        await console.App.AddTeamAsync("SS", "Student Success");
        var page = console.Page;
        await console.SignInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();

        var form = page.GetByRole(AriaRole.Region, new() { Name = "Add user" });
        await form.GetByLabel("Name").FillAsync("Ada Advisor");
        await form.GetByLabel("Email").FillAsync("Ada@College.edu");
        await form.GetByLabel("Staff ID").FillAsync("S300");
        await form.GetByLabel("Role").SelectOptionAsync("Admin");
        await form.GetByLabel("Team").SelectOptionAsync("SS");
        await form.GetByLabel("Password").FillAsync("ada's long password");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();

        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "ada@college.edu" });
        await Expect(row).ToContainTextAsync("Admin in SS");
        await Expect(row).ToContainTextAsync("S300");
        await Expect(row).ToContainTextAsync("Active");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = ConsoleApp.OwnerEmail })).ToContainTextAsync("Owner");
        await page.ScreenshotAsync("users");

        await row.GetByRole(AriaRole.Combobox, new() { Name = "Role for" }).SelectOptionAsync("User");
        await row.GetByRole(AriaRole.Button, new() { Name = "Change role" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "ada@college.edu" })).ToContainTextAsync("User in SS");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await ConsoleApp.SignInAsync(page, "ada@college.edu", "ada's long password");
        await Expect(page.GetByRole(AriaRole.Banner)).ToContainTextAsync("Ada Advisor");
    }

    [Fact]
    public async Task DisablingAUserEndsTheirSessionAndTheyCannotSignInAgain()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        await console.App.AddTeamAsync("SS");
        await console.AddUserAsync("ursula@college.edu", "S100", UserRole.User, "SS");
        var theirs = await browser.NewPageAsync(console.App.Address);
        await ConsoleApp.SignInAsync(theirs, "ursula@college.edu");
        await theirs.GotoAsync("/users");
        // A plain user sees only themselves, with nothing to change.
        await Expect(theirs.GetByRole(AriaRole.Row)).ToHaveCountAsync(2);
        await Expect(theirs.GetByRole(AriaRole.Button, new() { Name = "Disable" })).ToHaveCountAsync(0);

        var page = console.Page;
        await console.SignInAsync();
        await page.GotoAsync("/users");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Disable " + ConsoleApp.OwnerEmail })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Disable ursula@college.edu" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Disable ursula@college.edu?");
        await page.ScreenshotAsync("users-disable-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "ursula@college.edu" })).ToContainTextAsync("Disabled");

        await theirs.ReloadAsync();
        await Expect(theirs).ToHaveURLAsync(new Regex("/login"));
        await ConsoleApp.SubmitSignInAsync(theirs, "ursula@college.edu", ConsoleApp.Password);
        await Expect(theirs.GetByRole(AriaRole.Alert)).ToContainTextAsync("do not match");
        await theirs.Context.DisposeAsync();

        // Nobody disables themselves from the console, even with a hand-made post.
        var self = await ConsoleApp.PostFormAsync(page, "/users", "/users?handler=Disable", ("Target", ConsoleApp.OwnerEmail));
        Assert.Contains("You cannot disable yourself", await self.TextAsync());
    }

    [Fact]
    public async Task ATeamAdminAddsUsersOnlyToTheTeamsTheyAdminister()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        await console.App.AddTeamAsync("SS", "Student Success");
        await console.App.AddTeamAsync("ADM", "Admissions");
        await console.AddUserAsync("adam@college.edu", "S200", UserRole.Admin, "SS");
        await console.AddUserAsync("otto@college.edu", "S201", UserRole.User, "ADM");
        var page = console.Page;
        await console.SignInAsync("adam@college.edu");
        await page.GotoAsync("/users");

        await Expect(page.GetByText("otto@college.edu")).ToHaveCountAsync(0);
        await Expect(page.GetByText(ConsoleApp.OwnerEmail)).ToHaveCountAsync(0);
        var form = page.GetByRole(AriaRole.Region, new() { Name = "Add user" });
        await Expect(form.GetByLabel("Team").Locator("option")).ToHaveTextAsync(["SS · Student Success"]);
        await Expect(form.GetByLabel("Role").Locator("option")).ToHaveTextAsync(["Admin", "User"]);

        var answer = await ConsoleApp.PostFormAsync(page, "/users", "/users?handler=Add", ("Name", "Eve"), ("Email", "eve@college.edu"), ("StaffId", "S666"),
            ("Role", "User"), ("Team", "ADM"), ("Password", "a long enough password"));
        Assert.InRange(answer.Status, 200, 499);
        Assert.Contains("only to a team you administer", await answer.TextAsync());
        var owner = await ConsoleApp.PostFormAsync(page, "/users", "/users?handler=Add", ("Email", "eve@college.edu"), ("StaffId", "S666"),
            ("Role", "Owner"), ("Password", "a long enough password"));
        Assert.Contains("Only an owner may add an owner", await owner.TextAsync());

        await form.GetByLabel("Email").FillAsync("sam@college.edu");
        await form.GetByLabel("Staff ID").FillAsync("S202");
        await form.GetByLabel("Password").FillAsync("a long enough password");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "sam@college.edu" })).ToContainTextAsync("User in SS");
        Assert.DoesNotContain("eve@college.edu", await page.ContentAsync());
    }
}
