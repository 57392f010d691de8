using System.Text.RegularExpressions;
using Cadence.Console;
using Cadence.Inbox;
using Cadence.Tests.Console;
using Cadence.Tests.Infrastructure;
using Cadence.Users;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cadence.Tests.Inbox;

/// <summary>Issue #15 in Chromium against the real server: the inbox and a conversation, live.</summary>
public sealed class InboxLiveTests(Browser browser)
{
    [Fact]
    public async Task AStudentReplyAppearsInTheOpenInboxWithoutAReload()
    {
        await using var inbox = await InboxApp.StartAsync(browser);
        var page = inbox.Page;
        await inbox.Console.SignInAsync();
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Inbox") }).ClickAsync();
        await Expect(page.Locator("body[data-live=open]")).ToHaveCountAsync(1);
        await page.EvaluateAsync("() => window.notReloaded = true");

        await inbox.StudentTextsAsync(InboxApp.Ada, "Can I move my appointment?");

        var row = page.GetByTestId("conversation").Filter(new() { HasText = "Ada Lovelace" });
        await Expect(row).ToContainTextAsync("Can I move my appointment?", new() { Timeout = 2_000 });
        await Expect(row).ToContainTextAsync("Unread");
        await Expect(page.Locator("#nav-unread")).ToHaveTextAsync("1 unread");
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"), "the inbox reloaded itself");
        await page.ScreenshotAsync("inbox");
    }

    [Fact]
    public async Task AnOpenConversationHearsItsTextsStatusesWhileTheInboxListHearsOutgoingTextsAtMostOncePerActivityGap()
    {
        await using var inbox = await InboxApp.StartAsync(browser);
        await inbox.Console.SignInAsync();
        var cookie = await inbox.CookieHeaderAsync();
        var ada = await inbox.ContactAsync("P1");
        await using var list = await LiveStream.OpenAsync(inbox.App, cookie, "/inbox/events");
        await using var conversation = await LiveStream.OpenAsync(inbox.App, cookie, $"/inbox/events?team={inbox.Team.Id:N}&conversation={ada.Id:N}");
        await using var other = await LiveStream.OpenAsync(inbox.App, cookie, $"/inbox/events?team={inbox.Team.Id:N}&conversation={Guid.NewGuid():N}");

        // An API text: its open conversation hears its statuses; a quiet inbox list hears at once that a text went out.
        await inbox.SendAsync("P1", "Your appointment is at 3.");
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(conversation.Changes > 0 && list.Changes > 0), TimeSpan.FromSeconds(10)),
            $"heard by the conversation {conversation.Changes} times, by the list {list.Changes} times");

        // More texts at once: the conversation hears each status change; the list waits out the activity gap.
        var heard = conversation.Changes;
        for (var i = 0; i < 3; i++)
        {
            await inbox.SendAsync("P1", $"Reminder {i}");
            var before = conversation.Changes;
            Assert.True(await Eventually.TrueAsync(() => Task.FromResult(conversation.Changes > before), TimeSpan.FromSeconds(10)));
        }
        Assert.True(conversation.Changes >= heard + 3);
        Assert.Equal(1, list.Changes); // the activity gap is 10 s: nothing more for the list yet
        Assert.Equal(0, other.Changes); // another conversation hears neither statuses nor activity

        // A student's text is urgent: the list and every open conversation of the team read themselves again at once.
        await inbox.StudentTextsAsync(InboxApp.Ada, "Thanks!");
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(list.Changes > 1 && other.Changes > 0), TimeSpan.FromSeconds(5)),
            $"heard by the list {list.Changes} times, by another conversation {other.Changes} times");
    }

    [Fact]
    public async Task TheConversationShowsBothSidesAndAReplyReachesTheSimulatedPhone()
    {
        await using var inbox = await InboxApp.StartAsync(browser);
        var page = inbox.Page;
        await inbox.SendAsync("P1", "Hi {FirstName}, your advising appointment is tomorrow at 10.");
        await inbox.StudentTextsAsync(InboxApp.Ada, "Can we make it 11?");
        await inbox.Console.SignInAsync();
        await page.GotoAsync("/inbox");
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("Ada Lovelace") }).ClickAsync();

        var texts = page.GetByTestId("text");
        await Expect(texts).ToHaveTextAsync(new Regex[] { new Regex("Hi Ada, your advising appointment is tomorrow at 10.*delivered · by the API", RegexOptions.Singleline), new Regex("Can we make it 11\\?") });
        await page.GetByLabel("Reply", new() { Exact = true }).FillAsync("Yes, 11 works, {FirstName}.");
        await Expect(page.Locator("#reply-count")).ToContainTextAsync("27 of 1,500 characters · 1 segment");
        await page.GetByLabel("Reply", new() { Exact = true }).PressAsync("Control+Enter");

        var reply = texts.Filter(new() { HasText = "Yes, 11 works, Ada." });
        await Expect(reply).ToContainTextAsync("by S000");
        await Expect(reply).ToContainTextAsync("delivered"); // live: the worker's status change, no reload
        Assert.Contains("Yes, 11 works, Ada.", await inbox.PhoneAsync(InboxApp.Ada));
        await page.ScreenshotAsync("inbox-conversation");
    }

    [Fact]
    public async Task StopShowsTheOptOutLiveAndNoReplyCanBeSent()
    {
        await using var inbox = await InboxApp.StartAsync(browser);
        var page = inbox.Page;
        await inbox.StudentTextsAsync(InboxApp.Ada, "Who is this?");
        await inbox.Console.SignInAsync();
        var url = await inbox.ConversationUrlAsync("P1");
        await page.GotoAsync(url);
        await Expect(page.Locator("body[data-live=open]")).ToHaveCountAsync(1);
        await page.GetByLabel("Reply", new() { Exact = true }).FillAsync("Your advisor.");

        await inbox.StudentTextsAsync(InboxApp.Ada, "STOP");

        await Expect(page.GetByTestId("opted-out")).ToContainTextAsync("Ada has opted out", new() { Timeout = 2_000 });
        await Expect(page.GetByTestId("opt-out-event")).ToContainTextAsync("Opted out · the student's reply (keyword)");
        await Expect(page.GetByLabel("Reply", new() { Exact = true })).ToBeDisabledAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send" })).ToBeDisabledAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Opt out" })).ToHaveCountAsync(0);

        // A form posted anyway (a stale tab, a script) is refused by the sender.
        var response = await ConsoleApp.PostFormAsync(page, url, url + "?handler=Reply", ("Text", "Are you there?"), ("FormKey", Guid.NewGuid().ToString("N")));
        Assert.Equal(422, response.Status);
        Assert.Contains("has opted out", await response.TextAsync());
        Assert.DoesNotContain("Are you there?", await inbox.PhoneAsync(InboxApp.Ada));
    }

    [Fact]
    public async Task TwoUsersOfATeamShareReadStateAndAUserOfAnotherTeamSeesNothing()
    {
        await using var inbox = await InboxApp.StartAsync(browser);
        await inbox.App.AddTeamAsync("ADM", "Admissions");
        await inbox.Console.AddUserAsync("una@college.edu", "S100", UserRole.User, "SS", "Una");
        await inbox.Console.AddUserAsync("vic@college.edu", "S200", UserRole.User, "SS", "Vic");
        await inbox.Console.AddUserAsync("wes@college.edu", "S300", UserRole.User, "ADM", "Wes");
        await inbox.StudentTextsAsync(InboxApp.Ada, "Hello?");

        var una = inbox.Page;
        await ConsoleApp.SignInAsync(una, "una@college.edu");
        await una.GotoAsync("/inbox");
        var row = una.GetByTestId("conversation").Filter(new() { HasText = "Ada Lovelace" });
        await Expect(row).ToContainTextAsync("Unread");

        var vic = await browser.NewPageAsync(inbox.App.Address);
        await ConsoleApp.SignInAsync(vic, "vic@college.edu");
        await vic.GotoAsync(await inbox.ConversationUrlAsync("P1"));
        await Expect(vic.GetByTestId("text")).ToContainTextAsync("Hello?");

        // Vic read it, so it is read for Una too, live.
        await Expect(row).Not.ToContainTextAsync("Unread");
        await Expect(una.Locator("#nav-unread")).ToHaveTextAsync("");
        await vic.Context.DisposeAsync();

        var wes = await browser.NewPageAsync(inbox.App.Address);
        await ConsoleApp.SignInAsync(wes, "wes@college.edu");
        await wes.GotoAsync("/inbox");
        await Expect(wes.GetByTestId("conversation")).ToHaveCountAsync(0);
        var forbidden = await wes.GotoAsync(await inbox.ConversationUrlAsync("P1"));
        Assert.Equal(403, forbidden!.Status);
        Assert.DoesNotContain("Hello?", await wes.ContentAsync());
        Assert.DoesNotContain("Lovelace", await wes.ContentAsync());
        await wes.Context.DisposeAsync();
    }

    [Fact]
    public async Task AnAdminsTemplateIsInsertedWithOneClickAndSentMerged()
    {
        await using var inbox = await InboxApp.StartAsync(browser);
        var page = inbox.Page;
        await inbox.Console.SignInAsync();
        await page.GotoAsync("/inbox/templates?team=SS");
        await page.GetByLabel("Name").FillAsync("Office hours");
        await page.GetByLabel("Text").FillAsync("Hi {FirstName}, office hours are 9-5, room 120.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add template" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Template 'Office hours' added.");

        await inbox.StudentTextsAsync(InboxApp.Ada, "When are you open?");
        await page.GotoAsync(await inbox.ConversationUrlAsync("P1"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Insert template Office hours" }).ClickAsync();
        await Expect(page.GetByLabel("Reply", new() { Exact = true })).ToHaveValueAsync("Hi {FirstName}, office hours are 9-5, room 120.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();

        await Expect(page.GetByTestId("text").Filter(new() { HasText = "Hi Ada, office hours are 9-5, room 120." })).ToContainTextAsync("delivered");
        Assert.True(await Eventually.TrueAsync(async () => (await inbox.PhoneAsync(InboxApp.Ada)).Contains("Hi Ada, office hours are 9-5, room 120.")));
    }

    [Fact]
    public async Task SseAcrossTwoPostgresNodesShowsATextArrivingOnNodeAInABrowserOnNodeB()
    {
        await using var inbox = await InboxApp.StartAsync(browser, Store.Postgres);
        await using var nodeB = await CadenceApp.StartAsync(inbox.Console.Database);
        var page = inbox.Page;
        await ConsoleApp.SignInAsync(page, ConsoleApp.OwnerEmail);
        await page.GotoAsync(new Uri(nodeB.Address, "/inbox").ToString());
        await Expect(page.Locator("body[data-live=open]")).ToHaveCountAsync(1);
        await page.EvaluateAsync("() => window.notReloaded = true");

        await inbox.StudentTextsAsync(InboxApp.Bob, "Texted through node A"); // inbox.Api talks to node A

        await Expect(page.GetByTestId("conversation").Filter(new() { HasText = "Bob Byron" })).ToContainTextAsync("Texted through node A",
            new() { Timeout = 2_000 });
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"));
    }

    [Fact]
    public async Task ALiveReadBetweenAnActionAndItsRedirectLeavesTheActionsNoticeForThePage()
    {
        // The action signals open pages, so the page it came from reads itself again (X-Live) while the browser
        // follows the redirect; that read must not take the one-time notice the redirected page shows.
        await using var inbox = await InboxApp.StartAsync(browser);
        var (forms, conversation, archived) = await ArchiveOverHttpAsync(inbox);
        using (forms)
        {
            var liveRead = await forms.GetAsync(conversation, (LiveReadsLeaveTempData.LiveReadHeader, "1"));
            Assert.Equal(System.Net.HttpStatusCode.OK, liveRead.StatusCode);

            Assert.Contains(ArchivedNotice, await TextAsync(await forms.GetAsync(archived.OriginalString)));
            Assert.DoesNotContain(ArchivedNotice, await TextAsync(await forms.GetAsync("/inbox")));
        }
    }

    [Fact]
    public async Task ALiveReadAnsweredAfterTheRedirectedPageDoesNotBringTheNoticeBack()
    {
        await using var inbox = await InboxApp.StartAsync(browser);
        var (forms, conversation, archived) = await ArchiveOverHttpAsync(inbox);
        using (forms)
        {
            var cookiesWithTheNotice = forms.Cookies.GetCookieHeader(inbox.App.Address);
            Assert.Contains(ArchivedNotice, await TextAsync(await forms.GetAsync(archived.OriginalString)));
            // The live read was sent with the notice's cookie before the redirected page took it, and answers last.
            using var late = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = inbox.App.Address };
            var request = new HttpRequestMessage(HttpMethod.Get, conversation)
            {
                Headers = { { "Cookie", cookiesWithTheNotice }, { LiveReadsLeaveTempData.LiveReadHeader, "1" } },
            };
            var liveRead = await late.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(System.Net.HttpStatusCode.OK, liveRead.StatusCode);
            foreach (var setCookie in liveRead.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                forms.Cookies.SetCookies(inbox.App.Address, setCookie);
            }

            Assert.DoesNotContain(ArchivedNotice, await TextAsync(await forms.GetAsync("/inbox")));
        }
    }

    [Fact]
    public async Task ARefreshThatChangesNothingInTheActionsLeavesTheirFormsInPlace()
    {
        // Each rendering carries a new antiforgery token, so comparing the forms' HTML would replace them on every
        // refresh (losing a form's sent state and the keyboard's focus); the region has a version instead.
        await using var inbox = await InboxApp.StartAsync(browser);
        var page = inbox.Page;
        await inbox.OpenConversationAsync("P2");
        await Expect(page.Locator("body[data-live=open]")).ToHaveCountAsync(1);
        await page.EvaluateAsync("() => document.getElementById('conversation-actions').dataset.mark = 'kept'");

        await inbox.StudentTextsAsync(InboxApp.Bob, "A new question");

        await Expect(page.GetByTestId("text").Last).ToContainTextAsync("A new question", new() { Timeout = 2_000 });
        await Expect(page.Locator("#conversation-actions[data-mark=kept]")).ToHaveCountAsync(1);
    }

    const string ArchivedNotice = "Archived: the conversation is back in the inbox";

    /// <summary>The owner, signed in over plain HTTP, archives P2's conversation; the answer's redirect is not followed.</summary>
    static async Task<(ConsoleForms Forms, string Conversation, Uri Redirect)> ArchiveOverHttpAsync(InboxApp inbox)
    {
        var forms = new ConsoleForms(inbox.App.Address);
        await forms.LoadAsync();
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await forms.SignInAsync(ConsoleApp.OwnerEmail, ConsoleApp.Password)).StatusCode);
        var conversation = await inbox.ConversationUrlAsync("P2");
        await forms.LoadAsync(conversation);
        var archived = await forms.PostAsync(conversation + "?handler=Archive");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, archived.StatusCode);
        return (forms, conversation, archived.Headers.Location!);
    }

    static Task<string> TextAsync(HttpResponseMessage response) => response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
}
