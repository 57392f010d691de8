using System.Net;
using System.Text;
using Cadence.Contacts;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Contacts;

/// <summary>Import reports are bounded: an unknown field once per import, at most 1,000 row errors with the true count, short texts.</summary>
public sealed class ImportReportLimitTests
{
    [Fact]
    public async Task AnUnknownColumnIsReportedOnceAndEveryRowWithItStillFails()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);
        var csv = new StringBuilder("ContactId,FirstName,LastName,MobileNumber,Shoe Size,Hat\n");
        for (var i = 0; i < 50; i++)
        {
            csv.Append($"P{i},Ada,L,{7165550100 + i},{i},\n");
        }

        var report = await c.ImportTextAsync(csv.ToString(), "text/csv");

        Assert.Equal((50, 50, 0), (report.Int("total"), report.Int("failed"), report.Int("created")));
        var errors = report.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal(2, e.Int("row")));
        Assert.Contains("'Shoe Size'", errors[0].Str("reason"));
        Assert.Contains("'Hat'", errors[1].Str("reason"));
        Assert.False(report.GetProperty("errorsTruncated").GetBoolean());
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task AnUnknownJsonCustomFieldIsReportedOnceAtTheFirstRowThatHadIt(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);
        var rows = new object[]
        {
            ContactsApp.Row("P1", mobile: "716-555-0101"),
            ContactsApp.Row("P2", mobile: "716-555-0102", customFields: new { Minor = "Art" }),
            ContactsApp.Row("P3", mobile: "716-555-0103", customFields: new { minor = "Law" }),
        };

        var report = await c.ImportAsync(new { contacts = rows });

        Assert.Equal((1, 2), (report.Int("created"), report.Int("failed")));
        var error = Assert.Single(report.GetProperty("errors").EnumerateArray());
        Assert.Equal((2, "P2"), (error.Int("row"), error.Str("uniqueCampusId")));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task AtMostAThousandRowErrorsAreKeptAndStoredWithTheTrueFailedCount(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);
        var rows = Enumerable.Range(0, 1500).Select(i => ContactsApp.Row($"P{i}", mobile: "not a number")).Append(ContactsApp.Row("GOOD")).ToArray();

        var report = await c.ImportAsync(new { contacts = rows });
        var again = await c.GetAsync($"/v2/contacts/SS/import/{report.Str("batchIdentifier")}");

        foreach (var r in new[] { report, again })
        {
            Assert.Equal((1501, 1500, 1), (r.Int("total"), r.Int("failed"), r.Int("created")));
            Assert.Equal(ImportErrors.MaxKept, r.GetProperty("errors").GetArrayLength());
            Assert.True(r.GetProperty("errorsTruncated").GetBoolean());
            Assert.Equal(1000, r.GetProperty("errors")[999].Int("row"));
        }
    }

    [Fact]
    public async Task ASingleContactWithAHundredThousandUnknownFieldsGetsABounded400()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);
        var body = new StringBuilder("{\"uniqueCampusId\":\"P1\",\"firstName\":\"Ada\",\"lastName\":\"L\",\"mobileNumber\":\"7165550101\",\"customFields\":{");
        for (var i = 0; body.Length < ContactsApi.MaxContactBytes - 100; i++)
        {
            body.Append(i == 0 ? "" : ",").Append($"\"f{i}\":[{i}]");
        }
        body.Append("}}");

        var response = await c.Client.PostAsync("/v2/contacts/SS", new StringContent(body.ToString(), Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);

        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(text.Length < 16 * 1024, $"the 400 has {text.Length:N0} characters");
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errorsTruncated").GetBoolean());
        Assert.Equal(ContactInput.MaxErrorsPerRow, problem.GetProperty("errors").GetArrayLength());
    }
}
