using System.Net;
using System.Text;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Contacts;

public sealed class CsvImportTests
{
    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task ColumnsMayComeInAnyOrderWithStudentIdForContactId(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);
        var csv = "\uFEFFMajor,MobileNumber,LastName,StudentId,FirstName,StaffId\r\n" +
                  "\"Physics, Applied\",(716) 555-0101,\"O'Neil \"\"Jr\"\"\",P1,Ada,S100\r\n" +
                  "History,716.555.0102,Byron,P2,George,\r\n";

        var report = await c.ImportTextAsync(csv, "text/csv");

        Assert.Equal(2, report.Int("created"));
        var ada = await c.GetAsync("/v2/contacts/SS/by-id/P1");
        Assert.Equal("O'Neil \"Jr\"", ada.Str("lastName"));
        Assert.Equal("Physics, Applied", ada.GetProperty("customFields").GetProperty("Major").GetString());
        Assert.Equal("S100", ada.Str("staffId"));
    }

    [Fact]
    public async Task TabSeparatedValuesWorkToo()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);

        var report = await c.ImportTextAsync("ContactId\tFirstName\tLastName\tMobileNumber\nP1\tAda\tLovelace\t7165550101\n", "text/tab-separated-values");

        Assert.Equal(1, report.Int("created"));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task RowNumbersAreSpreadsheetRows(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);

        var report = await c.ImportTextAsync("ContactId,FirstName,LastName,MobileNumber\nP1,Ada,L,7165550101\nP2,,L,7165550102\n", "text/csv");

        var error = Assert.Single(report.GetProperty("errors").EnumerateArray());
        Assert.Equal((3, "P2", "firstName"), (error.Int("row"), error.Str("uniqueCampusId"), error.Str("field")));
    }

    [Theory]
    [InlineData("FirstName,LastName,MobileNumber\nAda,L,7165550101\n", "ContactId")]
    [InlineData("ContactId,FirstName,LastName\nP1,Ada,L\n", "MobileNumber")]
    [InlineData("", "empty")]
    [InlineData("ContactId,StudentId,FirstName,LastName,MobileNumber\n", "twice")]
    public async Task ACsvWithoutTheRequiredHeadersIsRefusedWhole(string csv, string message)
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);

        var problem = await c.ImportTextAsync(csv, "text/csv", HttpStatusCode.BadRequest);

        Assert.Contains(message, problem.Str("detail"));
        Assert.Equal(0, await c.ContactCountAsync());
    }

    [Fact]
    public async Task AHeaderWithMoreColumnsThanAContactCanHaveIsRefusedBeforeAnyRowIsRead()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);
        var header = "ContactId,FirstName,LastName,MobileNumber," + string.Join(",", Enumerable.Range(0, 100_000).Select(i => "F" + i));
        var csv = header + "\n" + string.Concat(Enumerable.Repeat("P1,Ada,L,7165550101\n", 1000));

        var problem = await c.ImportTextAsync(csv, "text/csv", HttpStatusCode.BadRequest);

        Assert.Contains("more than 128 columns", problem.Str("detail"));
        Assert.Equal(0, await c.ContactCountAsync());
    }

    [Fact]
    public async Task NonUtf8CsvIsRefusedWithAClearError()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);
        var latin1 = Encoding.Latin1.GetBytes("ContactId,FirstName,LastName,MobileNumber\nP1,José,Núñez,7165550101\n");
        var content = new ByteArrayContent(latin1);
        content.Headers.ContentType = new("text/csv");

        var response = await c.Client.PostAsync("/v2/contacts/SS/import", content, TestContext.Current.CancellationToken);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("UTF-8", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AnUnknownColumnIsAnUnknownCustomFieldOnEveryRow()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);

        var report = await c.ImportTextAsync("ContactId,FirstName,LastName,MobileNumber,Shoe Size\nP1,Ada,L,7165550101,7\n", "text/csv");

        Assert.Equal(1, report.Int("failed"));
        Assert.Contains("no custom field 'Shoe Size'", report.GetProperty("errors")[0].Str("reason"));
    }
}
