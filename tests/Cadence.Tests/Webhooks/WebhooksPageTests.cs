using System.Net;
using Cadence.Events;
using Cadence.Tests.Console;
using Cadence.Tests.Infrastructure;
using Cadence.Users;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cadence.Tests.Webhooks;

/// <summary>The console's Webhooks page in Chromium: add with the secret shown once, deliveries, test event, resend, disable, remove.</summary>
public sealed class WebhooksPageTests(Browser browser)
{
    static readonly Dictionary<string, string?> LoopbackAllowed = new() { ["Cadence:Webhooks:AllowPrivateNetworks"] = "true" };

    [Fact]
    public async Task AnOwnerAddsAWebhookSendsATestEventResendsItDisablesAndRemovesIt()
    {
        await using var console = await ConsoleApp.StartAsync(browser, settings: LoopbackAllowed);
        console.App.Time.SetUtcNow(DateTimeOffset.UtcNow);
        await console.App.AddTeamAsync("SS", "Student Success");
        await using var receiver = await Receiver.StartAsync();
        var page = console.Page;
        await console.SignInAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Webhooks" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "New Webhook" }).ClickAsync();
        await page.GetByLabel("URL").FillAsync(receiver.Url());
        await page.GetByLabel(EventTypes.ContactOptedOut).CheckAsync();
        await page.GetByLabel(EventTypes.MessageReceived).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        await Expect(page.GetByText("It will not be shown again")).ToBeVisibleAsync();
        await CheckAxeAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy signing secret" }).ClickAsync();
        var secret = await page.EvaluateAsync<string>("navigator.clipboard.readText()");
        Assert.StartsWith("whsec_", secret);
        await page.ScreenshotAsync("webhooks-added");

        await page.ReloadAsync();
        Assert.DoesNotContain(secret, await page.ContentAsync());
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = receiver.Url() });
        await Expect(row).ToContainTextAsync("Enabled");
        await Expect(row).ToContainTextAsync("contact.opted_out, message.received");
        await Expect(row).ToContainTextAsync("all");

        await row.GetByRole(AriaRole.Link, new() { Name = $"Deliveries of {receiver.Url()}" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send test event" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("test event is on its way");
        Assert.True(await receiver.ReceivesAsync(1), "the test event never arrived");
        var test = receiver.Requests.Single();
        Assert.True(SpecSignature.Verifies(secret, test.Headers, test.Body), "signed with another secret than the one shown");
        Assert.Contains("\"type\":\"webhook.test\"", test.Body);
        var delivered = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "webhook.test" });
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            await page.ReloadAsync();
            return (await delivered.InnerTextAsync()).Contains("succeeded");
        }, TimeSpan.FromSeconds(10)));
        await Expect(delivered).ToContainTextAsync("HTTP 200");
        await CheckAxeAsync(page);
        await page.ScreenshotAsync("webhooks-deliveries");

        await delivered.GetByRole(AriaRole.Button, new() { Name = $"Resend {test.Headers["webhook-id"]}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("same webhook-id");
        Assert.True(await receiver.ReceivesAsync(2));
        Assert.Equal(test.Headers["webhook-id"].ToString(), receiver.Requests.Last().Headers["webhook-id"].ToString());

        await page.GetByRole(AriaRole.Link, new() { Name = "← Webhooks" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Disable {receiver.Url()}" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Disabled");
        await Expect(row).ToContainTextAsync("disabled by user:owner@college.edu");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Enable {receiver.Url()}" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Enabled");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Remove {receiver.Url()}" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToBeVisibleAsync();
        await CheckAxeAsync(page);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Expect(page.GetByText("No webhooks yet")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ABadUrlIsShownAsAnErrorOnThePage()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        var page = console.Page;
        await console.SignInAsync();
        await page.GotoAsync("/webhooks");
        await page.GetByRole(AriaRole.Button, new() { Name = "New Webhook" }).ClickAsync();
        await page.GetByLabel("URL").FillAsync("http://169.254.169.254/latest/meta-data/");
        await page.GetByLabel(EventTypes.ContactOptedOut).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("private, loopback or link-local");
        await Expect(page.GetByLabel("URL")).ToHaveValueAsync("http://169.254.169.254/latest/meta-data/");
        await Expect(page.GetByText("No webhooks yet")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ATeamAdminManagesOnlyWebhooksOfTheirTeamsAndOthersMayNotOpenThePage()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        await console.App.AddTeamAsync("SS", "Student Success");
        await console.App.AddTeamAsync("ADM", "Admissions");
        await console.App.AddWebhookAsync("https://sis.example.edu/all-teams");
        await console.App.AddWebhookAsync("https://sis.example.edu/admissions", teams: ["ADM"]);
        await console.App.AddWebhookAsync("https://sis.example.edu/success", teams: ["SS"]);
        await console.AddUserAsync("admin@college.edu", "S100", UserRole.Admin, "SS");
        await console.AddUserAsync("staff@college.edu", "S200", UserRole.User, "SS");
        var page = console.Page;

        await console.SignInAsync("admin@college.edu");
        await page.GotoAsync("/webhooks");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "https://sis.example.edu/success", Exact = true })).ToBeVisibleAsync();
        Assert.DoesNotContain("all-teams", await page.ContentAsync());
        Assert.DoesNotContain("admissions", await page.ContentAsync());
        await Expect(page.GetByLabel("ADM · Admissions")).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "New Webhook" }).ClickAsync();
        await page.GetByLabel("URL").FillAsync("https://sis.example.edu/mine");
        await page.GetByLabel(EventTypes.ContactOptedOut).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("choose at least one of them");

        var others = (await console.App.WebhookIdsAsync()).Where(w => !w.Url.Contains("success")).Select(w => w.Id).ToList();
        var tampered = await ConsoleApp.PostFormAsync(page, "/webhooks", "/webhooks?handler=Remove", ("Id", others[0]));
        Assert.Equal((int)HttpStatusCode.NotFound, tampered.Status);
        Assert.Equal(3, (await console.App.WebhookIdsAsync()).Count); // nothing removed
        var theirs = await page.GotoAsync($"/webhooks/{others[1]}");
        Assert.Equal((int)HttpStatusCode.NotFound, theirs!.Status);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await console.SignInAsync("staff@college.edu");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Webhooks" })).ToHaveCountAsync(0);
        var forbidden = await page.GotoAsync("/webhooks");
        Assert.Equal((int)HttpStatusCode.Forbidden, forbidden!.Status);
    }

    static async Task CheckAxeAsync(IPage page)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help} — {string.Join("; ", v.Nodes.Take(3).Select(n => n.Html))}").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious));
    }
}
