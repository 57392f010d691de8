using System.Text.RegularExpressions;
using Cadence.Tests.Console;

namespace Cadence.Tests.Inbox;

/// <summary>What one inbox page asks the database: the unread count is the list's, not counted again by the layout.</summary>
public sealed partial class InboxQueriesTests(Browser browser)
{
    [Fact]
    public async Task AnInboxPageRunsEachConversationQueryOnceAndShowsOneUnreadFigure()
    {
        await using var inbox = await InboxApp.StartAsync(browser);
        await inbox.StudentTextsAsync(InboxApp.Ada, "From Ada");
        await inbox.Console.SignInAsync();
        var before = inbox.App.Logs.Lines.Count;

        var response = await inbox.Page.APIRequest.GetAsync("/inbox");

        Assert.Equal(200, response.Status);
        // EF logs each command it runs ("Executed DbCommand (2ms) …"); only the time differs between two runs of one query.
        var commands = inbox.App.Logs.Lines.Skip(before)
            .Where(l => l.Contains("Executed DbCommand", StringComparison.Ordinal) && l.Contains("\"ConversationStates\"", StringComparison.Ordinal))
            .Select(l => Elapsed().Replace(l, ""))
            .ToList();
        Assert.True(commands.Count >= 2, string.Join('\n', commands)); // the unread count and the matches count at least
        Assert.Equal(commands.Distinct().Count(), commands.Count);
        var html = await response.TextAsync();
        Assert.Contains("<span class=\"count\">1</span>", html, StringComparison.Ordinal);
        Assert.Contains("1 unread · 1 conversation", html, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\(\d+ms\)|elapsed=\d+")]
    private static partial Regex Elapsed();
}
