using System.Net.Http.Json;
using Cadence.Audit;
using Cadence.Contacts;
using Cadence.Tests.Contacts;
using Cadence.Users;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cadence.Tests.Console;

/// <summary>Issue #10.7: a field hidden from staff stays hidden inside the texts it was merged into.</summary>
public sealed class HiddenFieldTextsTests(Browser browser)
{
    const string Gpa = "3.97";

    [Fact]
    public async Task StaffSeeTextsWithHiddenValuesMaskedOnMessagesAndSimulatorAndAdminsSeeThemWhole()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        var team = await console.App.AddTeamAsync("SS");
        await console.App.WithServicesAsync((services, _) =>
            services.GetRequiredService<CustomFieldService>().AddAsync(team, "Gpa", false, true, true, new Actor("test")));
        using var client = console.App.Http(await console.App.CreateCredentialAsync());
        var ct = TestContext.Current.CancellationToken;
        (await client.PostAsJsonAsync("/v2/contacts/SS/import",
            new { contacts = new[] { ContactsApp.Row("P1", "Ada", "Lovelace", "716-555-0101", customFields: new { Gpa }) } }, ct)).EnsureSuccessStatusCode();
        // Sent through the API, which may merge any mergeable field.
        (await client.PostAsJsonAsync("/v2/messages/CreateAndSend",
            new { departmentCode = "SS", uniqueCampusId = "P1", messageContent = "Ada, your GPA is {Gpa}. Well done!" }, ct)).EnsureSuccessStatusCode();
        await console.AddUserAsync("ursula@college.edu", "S100", UserRole.User, "SS");

        await console.SignInAsync();
        await console.Page.GotoAsync("/messages?team=SS");
        var adminRow = console.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Ada, your GPA is" });
        await Expect(adminRow).ToContainTextAsync("delivered"); // the page reloads itself until the text is delivered
        await Expect(adminRow).ToContainTextAsync($"Ada, your GPA is {Gpa}. Well done!");
        await console.Page.GotoAsync("/simulator?team=SS&number=7165550101");
        await Expect(console.Page.Locator(".bubble.in")).ToContainTextAsync($"your GPA is {Gpa}.");

        var staff = await browser.NewPageAsync(console.App.Address);
        await ConsoleApp.SignInAsync(staff, "ursula@college.edu");
        await staff.GotoAsync("/messages?team=SS");
        await Expect(staff.GetByRole(AriaRole.Row).Filter(new() { HasText = "Ada, your GPA is" })).ToContainTextAsync("Ada, your GPA is [hidden]. Well done!");
        Assert.DoesNotContain(Gpa, await staff.ContentAsync());
        await staff.GotoAsync("/simulator?team=SS&number=7165550101");
        await Expect(staff.Locator(".bubble.in")).ToContainTextAsync("your GPA is [hidden].");
        Assert.DoesNotContain(Gpa, await staff.ContentAsync());
        await staff.Context.DisposeAsync();
    }

    [Fact]
    public async Task AStudentsOwnReplyIsNotMasked()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        var team = await console.App.AddTeamAsync("SS");
        await console.App.WithServicesAsync((services, _) =>
            services.GetRequiredService<CustomFieldService>().AddAsync(team, "Gpa", false, true, true, new Actor("test")));
        using var client = console.App.Http(await console.App.CreateCredentialAsync());
        var ct = TestContext.Current.CancellationToken;
        (await client.PostAsJsonAsync("/v2/contacts/SS/import",
            new { contacts = new[] { ContactsApp.Row("P1", "Ada", "Lovelace", "716-555-0101", customFields: new { Gpa }) } }, ct)).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/v2/messages/CreateAndSend",
            new { departmentCode = "SS", uniqueCampusId = "P1", messageContent = "Hi {FirstName}" }, ct)).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/simulator/api/reply", new { mobileNumber = "7165550101", body = $"Is {Gpa} enough?" }, ct)).EnsureSuccessStatusCode();
        await console.AddUserAsync("ursula@college.edu", "S100", UserRole.User, "SS");

        await ConsoleApp.SignInAsync(console.Page, "ursula@college.edu");
        await console.Page.GotoAsync("/messages?team=SS");

        await Expect(console.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "From student" })).ToContainTextAsync($"Is {Gpa} enough?");
    }
}
