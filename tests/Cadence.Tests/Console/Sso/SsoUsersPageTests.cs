using Cadence.Users;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cadence.Tests.Console.Sso;

public sealed class SsoUsersPageTests(Browser browser)
{
    [Fact]
    public async Task UsersPageShowsLinkedUsersAndAnOwnerCanUnlinkOne()
    {
        await using var sso = await SsoConsole.StartAsync(browser);
        await sso.Console.App.AddTeamAsync("BIO");
        await sso.Console.AddUserAsync("sam@college.edu", "S100", UserRole.User, "BIO", "Sam Staff");
        sso.Provider.Identity.Email = "sam@college.edu";
        var staff = await sso.NewPageAsync(browser);
        await SsoConsole.SignInAsync(staff);
        await staff.Context.DisposeAsync();

        await sso.Console.SignInAsync();
        await sso.Page.GotoAsync("/users");
        var row = sso.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "sam@college.edu" });
        await Expect(row).ToContainTextAsync("Linked");
        await Expect(sso.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "owner@college.edu" })).ToContainTextAsync("Not linked");
        await sso.Page.ScreenshotAsync("sso-users");

        await row.GetByRole(AriaRole.Button, new() { Name = "Unlink sam@college.edu from Campus Login" }).ClickAsync();

        await Expect(sso.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Unlinked sam@college.edu");
        await Expect(row).ToContainTextAsync("Not linked");
        Assert.Null((await sso.UserAsync("sam@college.edu")).SsoSubject);
        Assert.Single(await sso.AuditAsync("user.sso_unlinked"));
    }
}
