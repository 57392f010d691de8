using System.Net;
using Cadence.Tests.Contacts;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Messages;

/// <summary>GET /v2/messages?mobileNumber= or ?uniqueCampusId=: one student's conversation, both directions.</summary>
public sealed class ConversationListingTests
{
    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task OneStudentsConversationInBothDirectionsByNumberOrCampusId(Store store)
    {
        await using var m = await MessagesApp.StartAsync(store);
        await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = "Hi Ada" });
        await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550102", messageContent = "Hi Bob" });
        await m.PostAsync("/simulator/api/reply", new { mobileNumber = "716-555-0101", body = "Hello back" });

        var byNumber = await m.Contacts.GetAsync("/v2/messages?mobileNumber=17165550101");
        var byId = await m.Contacts.GetAsync("/v2/messages?departmentCode=SS&uniqueCampusId=P1");

        string[] expected = ["inbound Hello back", "outbound Hi Ada"];
        Assert.Equal(expected, byNumber.GetProperty("messages").EnumerateArray().Select(x => x.Str("direction") + " " + x.Str("messageContent")));
        Assert.Equal(expected, byId.GetProperty("messages").EnumerateArray().Select(x => x.Str("direction") + " " + x.Str("messageContent")));
    }

    [Fact]
    public async Task AConversationFilterNeedsAWellFormedNumberAndATeamForACampusId()
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);
        var ct = TestContext.Current.CancellationToken;

        await ProblemAssert.IsProblemAsync(await m.Client.GetAsync("/v2/messages?mobileNumber=12345", ct), HttpStatusCode.BadRequest, "invalid_mobile_number");
        await ProblemAssert.IsProblemAsync(await m.Client.GetAsync("/v2/messages?uniqueCampusId=P1", ct), HttpStatusCode.BadRequest, "department_code_required");
        var unknown = await m.Contacts.GetAsync("/v2/messages?departmentCode=SS&uniqueCampusId=NOPE");
        Assert.Empty(unknown.GetProperty("messages").EnumerateArray());
    }
}
