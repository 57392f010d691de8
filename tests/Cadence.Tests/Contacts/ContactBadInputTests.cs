using System.Net;
using System.Text;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Contacts;

/// <summary>Bad input gets a clear 4xx or a row error, never a 500, and never half a batch.</summary>
public sealed class ContactBadInputTests
{
    [Theory]
    [InlineData("{bad json", "not valid JSON")]
    [InlineData("[{\"uniqueCampusId\": \"P1\"}]", "must be a JSON object")]
    [InlineData("42", "must be a JSON object")]
    [InlineData("{\"contacts\": {\"uniqueCampusId\": \"P1\"}}", "array")]
    [InlineData("{}", "array")]
    [InlineData("{\"notificationEmail\": \"not an email\", \"contacts\": []}", "notificationEmail")]
    public async Task AMalformedBodyIsA400(string body, string message)
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);

        var problem = await c.ImportTextAsync(body, "application/json", HttpStatusCode.BadRequest);

        Assert.Contains(message, problem.Str("detail"));
    }

    [Fact]
    public async Task AnotherContentTypeIsA415()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);

        var problem = await c.ImportTextAsync("<contacts/>", "application/xml", HttpStatusCode.UnsupportedMediaType);

        Assert.Contains("text/csv", problem.Str("detail"));
    }

    [Fact]
    public async Task WrongTypesAndHugeValuesAreRowErrors()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);
        var huge = new string('x', 10_000);
        var body = $$$"""
            {"contacts": [
              {"uniqueCampusId": "P1", "firstName": {"a": 1}, "lastName": "L", "mobileNumber": "7165550101"},
              {"uniqueCampusId": "P2", "firstName": "{{{huge}}}", "lastName": "L", "mobileNumber": "7165550102"},
              {"uniqueCampusId": "P3", "firstName": "Cy", "lastName": "L", "mobileNumber": "7165550103", "customFields": {"Major": "{{{huge}}}"}},
              {"uniqueCampusId": "P4", "firstName": "Di", "lastName": "L", "mobileNumber": "7165550104", "customFields": ["Major"]},
              "not a contact",
              {"uniqueCampusId": "{{{huge}}}", "firstName": "Ed", "lastName": "L", "mobileNumber": "7165550105"},
              {"uniqueCampusId": "P7", "firstName": "Fay", "lastName": "L", "mobileNumber": "7165550107"}
            ]}
            """;

        var report = await c.ImportTextAsync(body, "application/json");

        Assert.Equal((1, 6), (report.Int("created"), report.Int("failed")));
        Assert.Equal([1, 2, 3, 4, 5, 6], report.GetProperty("errors").EnumerateArray().Select(e => e.Int("row")).Distinct());
        Assert.True(report.GetRawText().Length < 20_000, "errors must not echo huge values back");
    }

    [Fact]
    public async Task AnUnknownTeamIsA404()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);

        await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1") } }, HttpStatusCode.NotFound, team: "NOPE");
        await c.GetAsync("/v2/contacts/NOPE/7165550101", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ALookupWithAnInvalidNumberIsA400()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);

        var problem = await c.GetAsync("/v2/contacts/SS/not-a-number", HttpStatusCode.BadRequest);

        Assert.Equal("invalid_mobile_number", problem.Str("code"));
    }

    [Fact]
    public async Task MoreThan100000RowsIsA413AndNothingIsWritten()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);
        var body = new StringBuilder("{\"contacts\": [");
        for (var i = 0; i < 100_001; i++)
        {
            body.Append(i == 0 ? "" : ",").Append($"{{\"uniqueCampusId\":\"P{i}\",\"firstName\":\"A\",\"lastName\":\"B\",\"mobileNumber\":\"{7162000000L + i}\"}}");
        }
        body.Append("]}");

        var problem = await c.ImportTextAsync(body.ToString(), "application/json", HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("100,000", problem.Str("detail"));
        Assert.Equal(0, await c.ContactCountAsync());
    }
}

public sealed class ContactEdgeCaseTests
{
    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task PassingANumberToAnotherContactInOneBatchIsARowErrorNotA500(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);
        await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", mobile: "7165550101"), ContactsApp.Row("P3", mobile: "7165550103") } });

        var report = await c.ImportAsync(new
        {
            contacts = new[]
            {
                ContactsApp.Row("P1", mobile: "7165550199"), ContactsApp.Row("P2", mobile: "7165550101"),
                ContactsApp.Row("P3", mobile: "7165550198"), ContactsApp.Row("P4", mobile: "7165550199"),
            },
        });

        Assert.Equal((2, 2), (report.Int("updated"), report.Int("failed")));
        // In a second batch the released number is free.
        var next = await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P2", mobile: "7165550101") } });
        Assert.Equal(1, next.Int("created"));
    }

    [Fact]
    public async Task InvalidUnicodeIsARowErrorOrA400NeverA500()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);

        var value = await c.ImportTextAsync("""{"contacts": [{"uniqueCampusId": "P1", "firstName": "\udc00", "lastName": "L", "mobileNumber": "7165550101"}]}""", "application/json");
        await c.ImportTextAsync("""{"contacts": [{"uniqueCampusId": "P1", "firstName": "A", "lastName": "L", "mobileNumber": "7165550101", "customFields": {"\ud800x": "1"}}]}""",
            "application/json", HttpStatusCode.BadRequest);

        Assert.Equal(1, value.Int("failed"));
    }

    [Fact]
    public async Task AFailedRowDoesNotBlockALaterGoodRowWithTheSameId()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);

        var report = await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", mobile: "123"), ContactsApp.Row("P1", mobile: "7165550101") } });

        Assert.Equal((1, 1), (report.Int("created"), report.Int("failed")));
    }
}
