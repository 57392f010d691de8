using System.Net.Http.Json;
using Cadence.Data;
using Cadence.Messages;
using Cadence.Tests.Console;
using Cadence.Tests.Infrastructure;
using Cadence.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cadence.Tests.Inbox;

/// <summary>The inbox's rules: reply lengths, one text per form, archive, unknown numbers, console opt-outs, masking, time zones, filters.</summary>
public sealed class InboxRulesTests(Browser browser)
{
    [Fact]
    public async Task AReplyMayHave1500CharactersOnlyToAStudentWhoTextedInTheLast72Hours()
    {
        await using var inbox = await InboxApp.StartAsync(browser);
        var page = inbox.Page;
        await inbox.Console.SignInAsync();
        await inbox.StudentTextsAsync(InboxApp.Ada, "Tell me everything.");
        var long1000 = new string('a', 1000);

        var ada = await inbox.ConversationUrlAsync("P1");
        var accepted = await ConsoleApp.PostFormAsync(page, ada, ada + "?handler=Reply", ("Text", long1000), ("FormKey", Guid.NewGuid().ToString("N")));
        Assert.Equal(200, accepted.Status); // followed the redirect back to the conversation
        Assert.True(await Eventually.TrueAsync(async () => (await inbox.PhoneAsync(InboxApp.Ada)).Contains(long1000)));

        var bob = await inbox.ConversationUrlAsync("P2");
        var refused = await ConsoleApp.PostFormAsync(page, ada, bob + "?handler=Reply", ("Text", long1000), ("FormKey", Guid.NewGuid().ToString("N")));
        Assert.Equal(422, refused.Status);
        Assert.Contains("at most 306 are allowed", await refused.TextAsync());

        inbox.App.Time.Advance(TimeSpan.FromHours(73));
        await inbox.Console.SignInAsync(); // a console session lasts 12 hours
        var late = await ConsoleApp.PostFormAsync(page, ada, ada + "?handler=Reply", ("Text", long1000), ("FormKey", Guid.NewGuid().ToString("N")));
        Assert.Equal(422, late.Status);
        await page.GotoAsync(ada);
        await Expect(page.GetByLabel("Reply", new() { Exact = true })).ToHaveAttributeAsync("maxlength", "306");

        // The API's new texts stay at 306.
        var api = await inbox.Api.PostAsJsonAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", uniqueCampusId = "P1", messageContent = long1000 },
            TestContext.Current.CancellationToken);
        Assert.Equal(400, (int)api.StatusCode);
    }

    [Fact]
    public async Task AReplyFormSentTwiceTextsOnceAndIsRecordedWithTheUserAsSender()
    {
        await using var inbox = await InboxApp.StartAsync(browser);
        var page = inbox.Page;
        await inbox.Console.SignInAsync();
        var url = await inbox.ConversationUrlAsync("P2");
        var key = Guid.NewGuid().ToString("N");
        for (var i = 0; i < 2; i++)
        {
            var response = await ConsoleApp.PostFormAsync(page, url, url + "?handler=Reply", ("Text", "Only once, {FirstName}."), ("FormKey", key));
            Assert.Equal(200, response.Status);
        }
        var sent = await inbox.App.WithServicesAsync((services, _) =>
            services.GetRequiredService<CadenceDb>().Messages.AsNoTracking().Where(m => m.Body == "Only once, Bob.").ToListAsync());
        var message = Assert.Single(sent);
        Assert.Equal("S000", message.StaffId);
        Assert.False(message.Bulk);
    }

    [Fact]
    public async Task ArchivingMovesAConversationOutOfTheInboxUntilTheStudentTextsAgain()
    {
        await using var inbox = await InboxApp.StartAsync(browser);
        var page = inbox.Page;
        await inbox.StudentTextsAsync(InboxApp.Bob, "Thanks!");
        await inbox.OpenConversationAsync("P2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Archive" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Archived" })).ToBeVisibleAsync();

        await page.GotoAsync("/inbox");
        var bob = page.GetByTestId("conversation").Filter(new() { HasText = "Bob Byron" });
        await Expect(bob).ToHaveCountAsync(0);
        await page.GotoAsync("/inbox?filter=archived");
        await Expect(bob).ToHaveCountAsync(1);

        await page.GotoAsync("/inbox");
        await Expect(page.Locator("body[data-live=open]")).ToHaveCountAsync(1);
        await inbox.StudentTextsAsync(InboxApp.Bob, "One more question");
        await Expect(bob).ToContainTextAsync("One more question");
        await Expect(bob).ToContainTextAsync("Unread");
    }

    [Fact]
    public async Task ATextFromAnUnknownNumberOpensAnUnknownConversationThatAnAdminLinksToAContact()
    {
        await using var inbox = await InboxApp.StartAsync(browser);
        var page = inbox.Page;
        await inbox.Console.AddUserAsync("una@college.edu", "S100", UserRole.User, "SS", "Una");
        await inbox.StudentTextsAsync("716-555-0999", "This is Ada on my new phone");

        var staff = await browser.NewPageAsync(inbox.App.Address);
        await ConsoleApp.SignInAsync(staff, "una@college.edu");
        await staff.GotoAsync("/inbox");
        await Expect(staff.GetByTestId("conversation")).ToHaveCountAsync(0); // a number no team knows: for admins
        await staff.Context.DisposeAsync();

        await inbox.Console.SignInAsync();
        await page.GotoAsync("/inbox");
        var unknown = page.GetByTestId("conversation").Filter(new() { HasText = "Unknown number" });
        await Expect(unknown).ToContainTextAsync("1-716-555-0999");
        await unknown.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByTestId("unknown-number")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Reply", new() { Exact = true })).ToHaveCountAsync(0);
        await page.GetByLabel("Campus id").FillAsync("P1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Link" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ada Lovelace" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("text")).ToContainTextAsync("This is Ada on my new phone");
        Assert.Contains(await inbox.App.WithServicesAsync((services, _) =>
            services.GetRequiredService<CadenceDb>().AuditEvents.Select(a => a.Action).ToListAsync()), a => a == "conversation.linked");
    }

    [Fact]
    public async Task TheOptOutButtonRecordsAConsoleOptOutThatIsAuditedAndStopsReplies()
    {
        await using var inbox = await InboxApp.StartAsync(browser);
        var page = inbox.Page;
        await inbox.OpenConversationAsync("P2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Opt out" }).ClickAsync();

        await Expect(page.GetByTestId("opted-out")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("opt-out-event")).ToContainTextAsync("staff in the console");
        await Expect(page.GetByLabel("Reply", new() { Exact = true })).ToBeDisabledAsync();
        var (contact, change, audit) = await inbox.App.WithServicesAsync(async (services, _) =>
        {
            var db = services.GetRequiredService<CadenceDb>();
            var c = await db.Contacts.AsNoTracking().SingleAsync(x => x.UniqueCampusId == "P2");
            return (c, await db.OptOutChanges.AsNoTracking().SingleAsync(o => o.ContactId == c.Id),
                await db.AuditEvents.AsNoTracking().SingleAsync(a => a.Action == "contact.opted_out"));
        });
        Assert.True(contact.OptedOut);
        Assert.Equal("console", change.Source);
        Assert.Equal("user:" + ConsoleApp.OwnerEmail, audit.Actor);
        Assert.Equal("SS/P2", audit.Target);
    }

    [Fact]
    public async Task StaffSeeAHiddenValueMaskedInTextsEvenAfterTheContactsValueChanged()
    {
        await using var inbox = await InboxApp.StartAsync(browser);
        await inbox.SendAsync("P1", "Ada, your GPA is {Gpa} and your major {Major}.");
        await inbox.ImportAsync(new
        {
            uniqueCampusId = "P1", firstName = "Ada", lastName = "Lovelace", mobileNumber = InboxApp.Ada, staffId = "S000",
            customFields = new { Major = "Math", Gpa = "2.10" }
        });
        await inbox.Console.AddUserAsync("una@college.edu", "S100", UserRole.User, "SS", "Una");
        var page = inbox.Page;
        await ConsoleApp.SignInAsync(page, "una@college.edu");

        await page.GotoAsync(await inbox.ConversationUrlAsync("P1"));
        await Expect(page.GetByTestId("text")).ToContainTextAsync("Ada, your GPA is [hidden] and your major Math.");
        await page.GotoAsync("/messages?team=SS");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "your GPA is" })).ToContainTextAsync("Ada, your GPA is [hidden] and your major Math.");
        await page.GotoAsync("/inbox");
        await Expect(page.GetByTestId("conversation")).ToContainTextAsync("your GPA is [hidden]");
        Assert.DoesNotContain("3.97", await page.ContentAsync());
    }

    [Fact]
    public async Task ConversationTimesReadInTheTeamsTimeZoneAndNameIt()
    {
        await using var inbox = await InboxApp.StartAsync(browser);
        await inbox.StudentTextsAsync(InboxApp.Ada, "What time is it?"); // 12:00 UTC on 1 September: 07:00 in Chicago
        await inbox.OpenConversationAsync("P1");
        await Expect(inbox.Page.GetByTestId("text")).ToContainTextAsync("2026-09-01 07:00");
        await Expect(inbox.Page.GetByText("Times are in America/Chicago")).ToBeVisibleAsync();
        await inbox.Page.GotoAsync("/inbox");
        await Expect(inbox.Page.GetByTestId("conversation")).ToContainTextAsync("2026-09-01 07:00 America/Chicago");
    }

    [Fact]
    public async Task FiltersAndSearchNarrowTheInbox()
    {
        await using var inbox = await InboxApp.StartAsync(browser);
        var page = inbox.Page;
        await inbox.StudentTextsAsync(InboxApp.Ada, "From Ada");
        await inbox.SendAsync("P2", "To Bob");
        await inbox.Console.SignInAsync();
        var rows = page.GetByTestId("conversation");

        await page.GotoAsync("/inbox");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.First).ToContainTextAsync("Ada Lovelace"); // unread first
        await page.GetByRole(AriaRole.Link, new() { Name = "Assigned to me" }).ClickAsync();
        await Expect(rows).ToHaveTextAsync(new System.Text.RegularExpressions.Regex[] { new System.Text.RegularExpressions.Regex("Ada Lovelace") });
        await page.GotoAsync("/inbox?filter=unread");
        await Expect(rows).ToHaveTextAsync(new System.Text.RegularExpressions.Regex[] { new System.Text.RegularExpressions.Regex("Ada Lovelace") });
        foreach (var search in new[] { "byron", "P2", "(716) 555-0102" })
        {
            await page.GotoAsync("/inbox?q=" + Uri.EscapeDataString(search));
            await Expect(rows).ToHaveTextAsync(new System.Text.RegularExpressions.Regex[] { new System.Text.RegularExpressions.Regex("Bob Byron") });
        }
    }
}
