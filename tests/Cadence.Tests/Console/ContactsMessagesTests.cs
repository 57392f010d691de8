using System.Net;
using System.Net.Http.Json;
using System.Text;
using Cadence.Audit;
using Cadence.Contacts;
using Cadence.Data;
using Cadence.Tests.Contacts;
using Cadence.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cadence.Tests.Console;

public sealed class ContactsMessagesTests(Browser browser)
{
    [Fact]
    public async Task SearchFindsAContactByNameIdAndNumberAndTheDetailShowsItsOptOutHistory()
    {
        await using var console = await StartAsync();
        var page = console.Page;
        await console.SignInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Contacts" }).ClickAsync();
        await Expect(page.GetByLabel("Team")).ToHaveValueAsync("SS");
        await page.ScreenshotAsync("contacts");
        var rows = page.GetByRole(AriaRole.Row);

        await SearchAsync(page, "lovelace");
        await Expect(rows.Filter(new() { HasText = "Ada Lovelace" })).ToHaveCountAsync(1);
        await Expect(rows.Filter(new() { HasText = "Bob Byron" })).ToHaveCountAsync(0);

        await SearchAsync(page, "P2");
        await Expect(rows.Filter(new() { HasText = "Bob Byron" })).ToHaveCountAsync(1);
        await Expect(rows.Filter(new() { HasText = "Ada Lovelace" })).ToHaveCountAsync(0);

        await SearchAsync(page, "(716) 555-0103");
        await Expect(rows.Filter(new() { HasText = "Cy Young" })).ToHaveCountAsync(1);
        await Expect(rows.Filter(new() { HasText = "Bob Byron" })).ToHaveCountAsync(0);
        await page.ScreenshotAsync("contacts-search");

        await page.GetByRole(AriaRole.Link, new() { Name = "Cy Young" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Cy Young" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("opt-out-status")).ToContainTextAsync("Opted out");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Opt-out history" })).ToContainTextAsync("an import");
        await Expect(page.GetByText("Undeclared")).ToBeVisibleAsync();
        await page.ScreenshotAsync("contact-detail");
    }

    [Fact]
    public async Task ACsvUploadImportsTheGoodRowsAndShowsEachRejectedRow()
    {
        await using var console = await StartAsync();
        var page = console.Page;
        await console.SignInAsync();
        await page.GotoAsync("/contacts?team=SS");
        await page.GetByRole(AriaRole.Link, new() { Name = "Upload CSV" }).ClickAsync();

        var csv = "StudentId,FirstName,LastName,MobileNumber\nS1,Dee,Dunn,716-555-0201\nS2,Eve,Ellis,not a number\n";
        await page.GetByLabel("CSV file").SetInputFilesAsync(new FilePayload { Name = "students.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Import into SS" }).ClickAsync();

        await Expect(page.GetByTestId("import-summary")).ToContainTextAsync("2 rows: 1 accepted");
        await Expect(page.GetByTestId("import-summary")).ToContainTextAsync("1 rejected");
        var rejected = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "S2" });
        await Expect(rejected).ToContainTextAsync("3");
        await Expect(rejected).ToContainTextAsync("'not a number' is not a mobile number");
        await page.ScreenshotAsync("contacts-upload");

        await page.GotoAsync("/contacts?team=SS&q=dee");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Dee Dunn" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ATextSentFromMessagesArrivesOnTheSimulatorPhoneAndAStopReplyOptsTheContactOut()
    {
        await using var console = await StartAsync();
        var page = console.Page;
        await console.SignInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Messages" }).ClickAsync();

        await page.GetByLabel("To", new() { Exact = true }).FillAsync("P1");
        await page.GetByLabel("Message", new() { Exact = true }).FillAsync("Hi {FirstName}, your advising appointment is tomorrow at 10.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Queued text" })).ToBeVisibleAsync();
        var sent = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Hi Ada, your advising appointment is tomorrow at 10." });
        await Expect(sent).ToContainTextAsync("delivered"); // the page reloads itself until the worker has delivered it
        await Expect(sent).ToContainTextAsync("by S000");
        await page.ScreenshotAsync("messages");

        await page.GetByRole(AriaRole.Link, new() { Name = "Simulator" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "1-716-555-0101" }).ClickAsync();
        var phone = page.Locator(".phone");
        await Expect(phone.Locator(".bubble.in").Filter(new() { HasText = "Hi Ada, your advising appointment" })).ToBeVisibleAsync();
        await page.ScreenshotAsync("simulator-phone");

        await page.GetByLabel("Reply as the student").FillAsync("STOP");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await Expect(phone.Locator(".bubble.out").Filter(new() { HasText = "STOP" })).ToBeVisibleAsync();
        await Expect(phone.Locator(".bubble.in").Filter(new() { HasText = "You are unsubscribed from Student Success texts" })).ToBeVisibleAsync();
        await page.ScreenshotAsync("simulator-stop");

        await page.GotoAsync("/contacts?team=SS&q=P1");
        await page.GetByRole(AriaRole.Link, new() { Name = "Ada Lovelace" }).ClickAsync();
        await Expect(page.GetByTestId("opt-out-status")).ToContainTextAsync("Opted out");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Opt-out history" })).ToContainTextAsync("the student's reply (keyword)");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Send a message" })).ToHaveCountAsync(0);

        // The sender refuses an opted-out contact, and the page says so.
        await page.GotoAsync("/messages?team=SS");
        await page.GetByLabel("To", new() { Exact = true }).FillAsync("716.555.0101");
        await page.GetByLabel("Message", new() { Exact = true }).FillAsync("Are you still there?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("has opted out");
    }

    [Fact]
    public async Task AUserOfTeamSSCannotOpenTeamAdmsContactsMessagesOrPhone()
    {
        await using var console = await StartAsync();
        await console.App.AddTeamAsync("ADM", "Admissions");
        await ImportAsync(console, "ADM", ContactsApp.Row("A1", "Secret", "Applicant", "716-555-0901"));
        await console.AddUserAsync("sam@college.edu", "S300", UserRole.User, "SS", "Sam Staff");
        var admContact = await console.App.WithServicesAsync((services, _) =>
            services.GetRequiredService<CadenceDb>().Contacts.SingleAsync(c => c.UniqueCampusId == "A1"));
        var page = console.Page;
        await console.SignInAsync("sam@college.edu");

        await page.GotoAsync("/contacts");
        await Expect(page.GetByLabel("Team").Locator("option")).ToHaveTextAsync(["SS · Student Success"]);

        foreach (var path in new[] { "/contacts?team=ADM&q=secret", "/contacts/upload?team=ADM", "/messages?team=adm", "/simulator?team=ADM&number=7165550901" })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal((int)HttpStatusCode.Forbidden, response!.Status);
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("You may not use team ADM");
            Assert.DoesNotContain("Secret", await page.ContentAsync());
        }
        await page.ScreenshotAsync("contacts-forbidden");

        // An ADM contact's id under a team Sam may use is simply not there.
        var detail = await page.GotoAsync($"/contacts/{admContact.Id}?team=SS");
        Assert.Equal((int)HttpStatusCode.NotFound, detail!.Status);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Team SS has no such contact");
        Assert.DoesNotContain("Secret", await page.ContentAsync());
        var unknown = await page.GotoAsync("/contacts?team=NOPE");
        Assert.Equal((int)HttpStatusCode.NotFound, unknown!.Status);
    }

    /// <summary>A console with team SS (custom field Major) and three contacts: P1 Ada, P2 Bob, P3 Cy (imported opted out).</summary>
    async Task<ConsoleApp> StartAsync()
    {
        var console = await ConsoleApp.StartAsync(browser);
        var team = await console.App.AddTeamAsync("SS", "Student Success");
        await console.App.WithServicesAsync((services, _) =>
            services.GetRequiredService<CustomFieldService>().AddAsync(team, "Major", false, true, false, new Actor("test")));
        await ImportAsync(console, "SS",
            ContactsApp.Row("P1", "Ada", "Lovelace", "716-555-0101", customFields: new { Major = "Math" }),
            ContactsApp.Row("P2", "Bob", "Byron", "716-555-0102"),
            ContactsApp.Row("P3", "Cy", "Young", "716-555-0103", optedOut: true, customFields: new { Major = "Undeclared" }));
        return console;
    }

    static async Task ImportAsync(ConsoleApp console, string team, params object[] rows)
    {
        var credential = await console.App.CreateCredentialAsync("Seed import " + team);
        using var client = console.App.Http(credential);
        var response = await client.PostAsJsonAsync($"/v2/contacts/{team}/import", new { contacts = rows }, TestContext.Current.CancellationToken);
        await ContactsApp.Expect(response, HttpStatusCode.OK);
    }

    static async Task SearchAsync(IPage page, string text)
    {
        await page.GetByLabel("Search").FillAsync(text);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        // The page's address is polled, not a load state waited for: Playwright's WaitForURL waits for a load state even
        // with Commit, and that wait timed out twice in CI on a busy machine. The rows are then awaited by Expect, which retries.
        Assert.True(await Infrastructure.Eventually.TrueAsync(
            () => Task.FromResult(System.Web.HttpUtility.ParseQueryString(new Uri(page.Url).Query)["q"] == text), TimeSpan.FromSeconds(30)),
            $"the search for '{text}' did not reach the address; it is {page.Url}");
    }
}
