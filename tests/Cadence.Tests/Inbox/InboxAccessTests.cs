using Cadence.Tests.Console;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cadence.Tests.Inbox;

/// <summary>The inbox pages for keyboards, screen readers (axe-core) and a 375-pixel phone.</summary>
public sealed class InboxAccessTests(Browser browser)
{
    [Fact]
    public async Task InboxPagesPassAxeOnADesktopAndAt375PixelsWide()
    {
        await using var inbox = await InboxApp.StartAsync(browser);
        var page = inbox.Page;
        await inbox.StudentTextsAsync(InboxApp.Ada, "Hi there");
        await inbox.StudentTextsAsync("716-555-0999", "Who am I?");
        await inbox.Console.SignInAsync();
        var problems = new List<string>();
        var paths = new[] { "/inbox", await inbox.ConversationUrlAsync("P1"), "/inbox/~/17165550999", "/inbox/templates?team=SS", await inbox.ConversationUrlAsync("P2") };
        foreach (var width in new[] { 1280, 375 })
        {
            await page.SetViewportSizeAsync(width, 800);
            foreach (var path in paths)
            {
                await page.GotoAsync(path);
                AxeResult result = await page.RunAxe();
                problems.AddRange(result.Violations.Where(v => v.Impact is "serious" or "critical")
                    .Select(v => $"{width}px {path}: {v.Id}: {v.Help} — {string.Join("; ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}"));
                var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");
                if (overflow)
                {
                    problems.Add($"{width}px {path}: the page scrolls sideways");
                }
            }
        }
        await page.GotoAsync(paths[0]);
        await page.ScreenshotAsync("inbox-375");
        await page.GotoAsync(paths[1]);
        await page.ScreenshotAsync("inbox-conversation-375");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task ArrowKeysMoveBetweenConversationsAndEnterOpensOne()
    {
        await using var inbox = await InboxApp.StartAsync(browser);
        var page = inbox.Page;
        await inbox.StudentTextsAsync(InboxApp.Bob, "First");
        await inbox.StudentTextsAsync(InboxApp.Ada, "Second");
        await inbox.Console.SignInAsync();
        await page.GotoAsync("/inbox");
        var links = page.GetByTestId("conversation").GetByRole(AriaRole.Link);
        await links.First.FocusAsync();
        await Expect(links.First).ToContainTextAsync("Ada Lovelace");
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(links.Nth(1)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowUp");
        await Expect(links.First).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Bob Byron" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Reply", new() { Exact = true })).ToBeVisibleAsync();
    }
}
