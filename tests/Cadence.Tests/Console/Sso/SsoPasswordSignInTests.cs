using Cadence.Console;
using Cadence.Tests.Infrastructure;
using Cadence.Users;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cadence.Tests.Console.Sso;

/// <summary>Cadence:Sso:PasswordSignIn, and the ways in that stay open whatever it says.</summary>
public sealed class SsoPasswordSignInTests(Browser browser)
{
    [Fact]
    public async Task OwnersModeRefusesAStaffPasswordAndAcceptsTheOwners()
    {
        await using var sso = await SsoConsole.StartAsync(browser, new() { ["Cadence:Sso:PasswordSignIn"] = "owners" });
        await sso.Console.App.AddTeamAsync("BIO");
        await sso.Console.AddUserAsync("sam@college.edu", "S100", UserRole.User, "BIO");
        var page = sso.Page;

        await page.GotoAsync("/login");
        await Expect(page.GetByText("Passwords are for owners only")).ToBeVisibleAsync();
        await ConsoleApp.SubmitSignInAsync(page, "sam@college.edu", ConsoleApp.Password);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("do not match an account");

        await ConsoleApp.SubmitSignInAsync(page, ConsoleApp.OwnerEmail, ConsoleApp.Password);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task NoneModeRefusesEveryPasswordButTheSetupLinkAndTheCliStillWork()
    {
        await using var sso = await SsoConsole.StartAsync(browser, new() { ["Cadence:Sso:PasswordSignIn"] = "none" }, withOwner: false);
        var page = sso.Page;
        await page.GotoAsync("/login");
        await Expect(page.GetByText("Password sign-in is turned off")).ToBeVisibleAsync();
        Assert.Equal(0, await page.GetByLabel("Password").CountAsync());

        // A broken provider never locks the organization out: the setup link makes the first owner and signs them in ...
        var token = await sso.Console.App.WithServicesAsync((services, organization) =>
            services.GetRequiredService<SetupLinks>().IssueAsync(organization.Id));
        await page.GotoAsync($"/setup?token={token}");
        await page.GetByLabel("Name").FillAsync("Olive Owner");
        await page.GetByLabel("Email").FillAsync("olive@college.edu");
        await page.GetByLabel("Staff ID").FillAsync("S001");
        await page.GetByLabel("Password").FillAsync("a long enough password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create owner" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();

        // ... and the operator's shell still sets a password, for when PasswordSignIn is set back to owners.
        var reset = await CliRunner.RunAsync(sso.Console.Database, ["users", "password", "olive@college.edu", "--password-stdin"], "another long password\n");
        Assert.True(reset.ExitCode == 0, reset.Error);
        var proven = await sso.Console.App.WithServicesAsync((services, organization) => services.GetRequiredService<UserService>()
            .CheckPasswordAsync(organization.Id, "olive@college.edu", "another long password", null));
        Assert.NotNull(proven);
    }
}
