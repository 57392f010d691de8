using System.Net.Http.Json;
using Cadence.Data;
using Cadence.Tests.Contacts;
using Cadence.Tests.Infrastructure;
using Cadence.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cadence.Tests.Console;

/// <summary>The team's notification emails page: its admins set the addresses and choices; a STOP then emails them.</summary>
public sealed class TeamNotificationsPageTests(Browser browser)
{
    [Fact]
    public async Task ATeamAdminSetsNotificationAddressesAndAStudentsStopEmailsThem()
    {
        await using var smtp = await TestSmtpServer.StartNewAsync();
        await using var console = await ConsoleApp.StartAsync(browser, settings: smtp.Settings());
        await console.App.AddTeamAsync("SS", "Student Success");
        await console.AddUserAsync("admin@college.edu", "S200", UserRole.Admin, "SS", "Ada Admin");
        var page = console.Page;
        await console.SignInAsync("admin@college.edu");
        await page.GetByRole(AriaRole.Link, new() { Name = "Teams" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Email notifications" }).ClickAsync();

        await page.GetByLabel("Addresses").FillAsync("advising@college.edu\nnot an address");
        await page.GetByLabel("A contact's opt-out status changed").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save notifications" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("\"not an address\" is not an email address");

        await page.GetByLabel("Addresses").FillAsync("advising@college.edu\ndean@college.edu");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save notifications" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved the notifications of SS");
        await Expect(page.GetByLabel("Addresses")).ToHaveValueAsync("advising@college.edu\ndean@college.edu");
        await Expect(page.GetByLabel("A contact's opt-out status changed")).ToBeCheckedAsync();
        await Expect(page.GetByLabel("A text from a number that is no contact")).Not.ToBeCheckedAsync();
        await page.ScreenshotAsync("team-notifications");

        using var api = console.App.Http(await console.App.CreateCredentialAsync());
        var ct = TestContext.Current.CancellationToken;
        (await api.PostAsJsonAsync("/v2/contacts/SS/import", new { contacts = new[] { ContactsApp.Row("P1") } }, ct)).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/simulator/api/reply", new { mobileNumber = "716-555-0101", body = "STOP" }, ct)).EnsureSuccessStatusCode();
        var emails = await smtp.WaitForAsync(2);
        Assert.Equal(["advising@college.edu", "dean@college.edu"], emails.Select(m => m.To.Mailboxes.Single().Address).Order());
        var audit = await console.App.WithServicesAsync((s, _) => s.GetRequiredService<CadenceDb>().AuditEvents.Where(a => a.Action == "team.notifications_changed").ToListAsync());
        Assert.Equal("user:admin@college.edu", Assert.Single(audit).Actor);
    }

    [Fact]
    public async Task StaffSeeNoLinkAndCannotPostTheForm()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        await console.App.AddTeamAsync("SS");
        await console.AddUserAsync("staff@college.edu", "S300", UserRole.User, "SS");
        var page = console.Page;
        await console.SignInAsync("staff@college.edu");
        await page.GotoAsync("/teams");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Email notifications" })).ToHaveCountAsync(0);

        var response = await ConsoleApp.PostFormAsync(page, "/teams/notifications?team=SS", "/teams/notifications?team=SS",
            ("Addresses", "me@college.edu"), ("OptOutChanges", "true"));

        Assert.Equal(403, response.Status);
        var saved = await console.App.WithServicesAsync((s, _) => s.GetRequiredService<CadenceDb>().TeamEmailSettings.CountAsync());
        Assert.Equal(0, saved);
    }

    [Fact]
    public async Task AnAddressThatWouldBreakAHeaderIsRefused()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        await console.App.AddTeamAsync("SS");
        var page = console.Page;
        await console.SignInAsync();

        var response = await ConsoleApp.PostFormAsync(page, "/teams/notifications?team=SS", "/teams/notifications?team=SS",
            ("Addresses", "advising@college.edu\r\nBcc: everyone@college.edu"), ("OptOutChanges", "true"));

        Assert.Contains("is not an email address", await response.TextAsync());
        var saved = await console.App.WithServicesAsync((s, _) => s.GetRequiredService<CadenceDb>().TeamEmailSettings.CountAsync());
        Assert.Equal(0, saved);
    }
}
