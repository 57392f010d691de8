using System.Net;
using Cadence.Tests.Contacts;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Messages;

/// <summary>What a contact's values may put into a text (issue #10.10): the text rule holds after merging, names hold no controls.</summary>
public sealed class MergeValueTests
{
    const string Escape = "a\u001b[2J\u0007b";

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task AMergeValueHoldingControlCharactersIsNotSentToThatContact(Store store)
    {
        await using var m = await MessagesApp.StartAsync(store);
        await m.Contacts.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", "Ada", "Lovelace", "716-555-0101", customFields: new { Major = Escape }) } });

        var (response, body) = await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", uniqueCampusId = "P1", messageContent = "Your major: {Major}" });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity, "unsendable_value");
        Assert.Contains("P1", body.Str("detail"));
        Assert.Contains("U+001B", body.Str("detail"));
        Assert.Contains("{Major}", body.Str("detail"));
        Assert.Empty((await m.PhoneAsync("7165550101")).EnumerateArray());
    }

    [Fact]
    public async Task ABulkSendSkipsAContactWhoseValuesBreakTheTextRuleAndTextsTheRest()
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);
        await m.Contacts.ImportAsync(new
        {
            contacts = new[]
            {
                ContactsApp.Row("P1", "Ada", "Lovelace", "716-555-0101", customFields: new { Major = Escape }),
                ContactsApp.Row("P2", "Bob", "Byron", "716-555-0102", customFields: new { Major = "History" }),
            },
        });

        var (response, body) = await m.PostAsync("/v2/messages/bulk",
            new { departmentCode = "SS", messageContent = "Your major: {Major}", recipients = new[] { new { uniqueCampusId = "P1" }, new { uniqueCampusId = "P2" } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, body.Int("queued"));
        var skipped = Assert.Single(body.GetProperty("skippedMissingValue").EnumerateArray());
        Assert.Equal("P1", skipped.Str("recipient"));
        Assert.Contains("U+001B", skipped.Str("reason"));
        Assert.Empty((await m.PhoneAsync("7165550101")).EnumerateArray());
        Assert.Equal("Your major: History", Assert.Single((await m.PhoneAsync("7165550102")).EnumerateArray()).Str("body"));
    }

    [Theory]
    [InlineData("A\u0085da")] // at an end, U+0085 (a line break to .NET) is trimmed away like a space
    [InlineData("\u202Eada")]
    [InlineData("A\u2066da")]
    [InlineData("Ad\u009Ba")]
    [InlineData("Ada\u0007")]
    public async Task ANameWithControlOrDirectionOverrideCharactersIsARowError(string name)
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);

        var report = await m.Contacts.ImportAsync(new
        {
            contacts = new[] { ContactsApp.Row("P7", name, "Lovelace", "716-555-0107"), ContactsApp.Row("P8", "Eve", name, "716-555-0108") },
        });

        Assert.Equal(2, report.Int("failed"));
        Assert.Equal(["firstName", "lastName"], report.GetProperty("errors").EnumerateArray().Select(e => e.Str("field")));
    }

    [Fact]
    public async Task TheSingleContactCallRefusesANameWithARightToLeftOverride()
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);

        var response = await m.Client.PostAsync("/v2/contacts/SS",
            System.Net.Http.Json.JsonContent.Create(ContactsApp.Row("P1", "\u202Eada", "Lovelace", "716-555-0101")), TestContext.Current.CancellationToken);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "invalid_contact");
        Assert.Contains("U+202E", problem.GetProperty("detail").GetString());
        Assert.Equal("Ada", (await m.Contacts.GetAsync("/v2/contacts/SS/by-id/P1")).Str("firstName"));
    }

    [Fact]
    public async Task NamesInOtherScriptsAndWithAccentsStillImport()
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);

        var report = await m.Contacts.ImportAsync(new
        {
            contacts = new[] { ContactsApp.Row("P7", "Zoë", "O'Brien-Núñez", "716-555-0107"), ContactsApp.Row("P8", "محمد", "李", "716-555-0108") },
        });

        Assert.Equal(0, report.Int("failed"));
    }
}
