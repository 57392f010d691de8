using System.Net;
using System.Text;
using System.Text.Json;
using Cadence.Contacts;
using Cadence.Data;
using Cadence.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cadence.Tests.Contacts;

/// <summary>The import reads its body a row at a time and keeps every rule of the whole-body reader it replaced.</summary>
public sealed class StreamingImportTests
{
    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task ContactsLargerThanTheReadingWindowAreReadWhole(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);
        // About 2 KB a contact, 3,000 of them: the 64 KiB window is crossed inside contacts hundreds of times.
        var major = "M" + new string('a', 998);
        var rows = Enumerable.Range(0, 3000).Select(i => ContactsApp.Row($"P{i:D5}", first: $"Ada{i}", mobile: $"{2002000000L + i}",
            customFields: new { Major = major, Advisor = $"Dr. {i} \u00e9\u4e2d" })).ToArray();

        var report = await c.ImportAsync(new { contacts = rows });

        Assert.Equal((3000, 3000, 0), (report.Int("total"), report.Int("created"), report.Int("failed")));
        var last = await c.GetAsync("/v2/contacts/SS/by-id/P02999");
        Assert.Equal(("Ada2999", major, "Dr. 2999 \u00e9\u4e2d"),
            (last.Str("firstName"), last.GetProperty("customFields").Str("Major"), last.GetProperty("customFields").Str("Advisor")));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task OptionsAfterTheContactsStillApplyAndTheRowsAreWrittenOnce(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);
        await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", mobile: "716-555-0101") } });

        // Read first with the default (true), then again from the start with the body's 0: one transaction commits.
        var body = "{\"contacts\":[{\"uniqueCampusId\":\"P1\",\"firstName\":\"Ada\",\"lastName\":\"L\",\"mobileNumber\":\"716-555-0199\"}," +
                   "{\"uniqueCampusId\":\"P2\",\"firstName\":\"Bo\",\"lastName\":\"L\",\"mobileNumber\":\"716-555-0102\"}]," +
                   "\"NotificationEmail\":\"ops@college.edu\",\"allowMobileUpdate\":0}";
        var report = await c.ImportTextAsync(body, "application/json");

        Assert.Equal(("ops@college.edu", 2, 1, 1, 0), (report.Str("notificationEmail"), report.Int("total"), report.Int("created"), report.Int("updated"), report.Int("failed")));
        Assert.Equal("1-716-555-0101", (await c.GetAsync("/v2/contacts/SS/by-id/P1")).Str("mobileNumber"));
        Assert.Equal(2, await c.ContactCountAsync());
        // One report and one import.completed event for each of the two imports: the first read left nothing.
        Assert.Equal((2, 2), await c.App.WithServicesAsync(async (services, _) =>
        {
            var db = services.GetRequiredService<CadenceDb>();
            return (await db.ImportBatches.CountAsync(), await db.Events.CountAsync(e => e.Type == Cadence.Events.EventTypes.ImportCompleted));
        }));
    }

    [Fact]
    public async Task JsonThatBreaksAfterManyGoodContactsWritesNothing()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);
        var rows = JsonSerializer.Serialize(Enumerable.Range(0, 2000).Select(i => ContactsApp.Row($"P{i}", mobile: $"{2002000000L + i}")));
        var body = "{\"contacts\":" + rows[..^1] + ",{\"uniqueCampusId\": }]}";

        var problem = await c.ImportTextAsync(body, "application/json", HttpStatusCode.BadRequest);

        Assert.Contains("not valid JSON", problem.Str("detail"));
        Assert.DoesNotContain("Path:", problem.Str("detail"));
        Assert.Equal(0, await c.ContactCountAsync());
    }

    [Fact]
    public async Task AJsonBodyWithABomIsRead()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);

        var report = await c.ImportTextAsync("\uFEFF" + JsonSerializer.Serialize(new { contacts = new[] { ContactsApp.Row("P1") } }), "application/json");

        Assert.Equal(1, report.Int("created"));
    }

    [Fact]
    public async Task ADataRowWithMoreCellsThanTheHeaderIsARowError()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);
        var csv = "ContactId,FirstName,LastName,MobileNumber\nP1,Ada,L,7165550101" + string.Concat(Enumerable.Repeat(",x", 5000)) + "\nP2,Bob,L,7165550102\n";

        var report = await c.ImportTextAsync(csv, "text/csv");

        Assert.Equal((1, 1), (report.Int("created"), report.Int("failed")));
        var error = Assert.Single(report.GetProperty("errors").EnumerateArray());
        Assert.Equal((2, "P1"), (error.Int("row"), error.Str("uniqueCampusId")));
        Assert.Contains("5,004 cells", error.Str("reason"));
    }

    [Fact]
    public async Task ACellLongerThanAnyLegalRowIsRefusedWithoutReadingOn()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);
        var csv = "ContactId,FirstName,LastName,MobileNumber\nP1,Ada,L,7165550101\nP2," + new string('a', 3_000_000) + ",L,7165550102\n";

        var problem = await c.ImportTextAsync(csv, "text/csv", HttpStatusCode.BadRequest);

        Assert.Contains("Row 3", problem.Str("detail"));
        Assert.Equal(0, await c.ContactCountAsync());
    }

    [Fact]
    public async Task BlankLinesAndABomAreToleratedAndRowNumbersCountThem()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);

        var report = await c.ImportTextAsync("\uFEFFContactId,FirstName,LastName,MobileNumber\r\n\r\nP1,Ada,L,7165550101\r\n\r\n#P2,,L,7165550102\r\n", "text/csv");

        Assert.Equal((1, 1), (report.Int("created"), report.Int("failed")));
        var error = Assert.Single(report.GetProperty("errors").EnumerateArray());
        Assert.Equal((5, "#P2"), (error.Int("row"), error.Str("uniqueCampusId")));
    }

    [Fact]
    public async Task QuotedCellsKeepSeparatorsQuotesAndLineBreaks()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);

        await c.ImportTextAsync("ContactId,FirstName,LastName,MobileNumber,Advisor\nP1,\"Ada, \"\"The\"\" Countess\",L,7165550101,\"Dr.\nWho\"\n", "text/csv");

        var contact = await c.GetAsync("/v2/contacts/SS/by-id/P1");
        Assert.Equal(("Ada, \"The\" Countess", "Dr.\nWho"), (contact.Str("firstName"), contact.GetProperty("customFields").Str("Advisor")));
    }

    [Fact]
    public async Task MoreThan100000CsvRowsIsA413AndNothingIsWritten()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);
        var csv = new StringBuilder("ContactId,FirstName,LastName,MobileNumber\n");
        for (var i = 0; i <= ContactRules.MaxRowsPerImport; i++)
        {
            csv.Append("P").Append(i).Append(",A,L,").Append(2002000000L + i).Append('\n');
        }

        await c.ImportTextAsync(csv.ToString(), "text/csv", HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal(0, await c.ContactCountAsync());
    }
}
