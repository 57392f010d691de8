using Cadence.Tests.Console;
using Cadence.Tests.Inbox;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Messages;

/// <summary>A contact deletion is a change of the team's conversations: the open inbox pages hear it after the commit.</summary>
public sealed class ContactDeletionSignalTests(Browser browser)
{
    [Fact]
    public async Task DeletingAContactTellsTheOpenInboxAndItsConversation()
    {
        await using var inbox = await InboxApp.StartAsync(browser);
        await inbox.Console.SignInAsync();
        var cookie = await inbox.CookieHeaderAsync();
        var ada = await inbox.ContactAsync("P1");
        await using var list = await LiveStream.OpenAsync(inbox.App, cookie, "/inbox/events");
        await using var conversation = await LiveStream.OpenAsync(inbox.App, cookie, $"/inbox/events?team={inbox.Team.Id:N}&conversation={ada.Id:N}");
        var (heardByList, heardByConversation) = (list.Changes, conversation.Changes);

        var deleted = await inbox.Api.DeleteAsync("/v2/contacts/SS/by-id/P1", TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(list.Changes > heardByList && conversation.Changes > heardByConversation), TimeSpan.FromSeconds(5)),
            $"heard by the list {list.Changes - heardByList} times, by the conversation {conversation.Changes - heardByConversation} times");
    }
}
