using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Contacts;

public sealed class ContactApiTests
{
    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task OneContactIsCreatedThenUpdatedWithTheShapeOfAnImportRow(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);
        var ct = TestContext.Current.CancellationToken;

        var created = await ContactsApp.Expect(await c.Client.PostAsJsonAsync("/v2/contacts/SS",
            new { uniqueCampusId = "P1", firstName = "Ada", lastName = "Lovelace", mobileNumber = "7165550101", optedOut = 1 }, ct), HttpStatusCode.OK);
        var updated = await ContactsApp.Expect(await c.Client.PostAsJsonAsync("/v2/contacts/SS",
            new { uniqueCampusId = "P1", firstName = "Ada", lastName = "King", mobileNumber = "7165550101", optedOut = false }, ct), HttpStatusCode.OK);
        var bad = await c.Client.PostAsJsonAsync("/v2/contacts/SS", new { uniqueCampusId = "P2", firstName = "Bo", lastName = "X", mobileNumber = "12" }, ct);

        Assert.True(created.GetProperty("optedOut").GetBoolean());
        Assert.Equal("King", updated.Str("lastName"));
        Assert.False(updated.GetProperty("optedOut").GetBoolean());
        var problem = await ProblemAssert.IsProblemAsync(bad, HttpStatusCode.BadRequest, "invalid_contact");
        Assert.Equal("mobileNumber", problem.GetProperty("errors")[0].GetProperty("field").GetString());
        var changes = await c.OptOutChangesAsync();
        Assert.Equal(["api", "api"], changes.Select(o => o.Source));
    }

    [Fact]
    public async Task OneContactWithANameThatIsNotUtf8IsARowErrorAndAnUnknownPropertyThatIsNotUtf8IsIgnored()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);
        var ct = TestContext.Current.CancellationToken;
        static ByteArrayContent Body(string before, string after)
        {
            // 0xE9 alone is Latin-1 "é", not UTF-8.
            var content = new ByteArrayContent([.. System.Text.Encoding.ASCII.GetBytes(before), 0xE9, .. System.Text.Encoding.ASCII.GetBytes(after)]);
            content.Headers.ContentType = new("application/json");
            return content;
        }

        var badName = await c.Client.PostAsync("/v2/contacts/SS",
            Body("{\"uniqueCampusId\":\"P1\",\"firstName\":\"Ren", "e\",\"lastName\":\"X\",\"mobileNumber\":\"7165550101\"}"), ct);
        var badExtra = await c.Client.PostAsync("/v2/contacts/SS",
            Body("{\"uniqueCampusId\":\"P2\",\"firstName\":\"Bo\",\"lastName\":\"X\",\"mobileNumber\":\"7165550102\",\"note\":\"caf", "\"}"), ct);

        var problem = await ProblemAssert.IsProblemAsync(badName, HttpStatusCode.BadRequest, "invalid_contact");
        Assert.Equal("firstName", problem.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal("P2", (await ContactsApp.Expect(badExtra, HttpStatusCode.OK)).Str("uniqueCampusId"));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task ListingPagesThroughEveryContactOnceWithACursor(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);
        await c.ImportAsync(new { contacts = Enumerable.Range(0, 25).Select(i => ContactsApp.Row($"P{i:00}", mobile: $"71655501{i:00}")).ToArray() });

        var seen = new List<string>();
        string? cursor = null;
        for (var page = 0; page < 10; page++)
        {
            var body = await c.GetAsync("/v2/contacts/SS?limit=10" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(body.GetProperty("contacts").EnumerateArray().Select(x => x.Str("uniqueCampusId")!));
            cursor = body.Str("nextCursor");
            if (cursor is null)
            {
                break;
            }
        }

        Assert.Equal(25, seen.Count);
        Assert.Equal(25, seen.Distinct().Count());
        await c.GetAsync("/v2/contacts/SS?cursor=garbage", HttpStatusCode.BadRequest);
        await c.GetAsync("/v2/contacts/SS?limit=5000", HttpStatusCode.BadRequest);
    }

    /// <summary>
    /// The listing writes its pages straight from the database (its hot path); each contact in it must read exactly as
    /// the single-contact answer, which goes through the model and the serializer: names, escaping, nulls, times.
    /// </summary>
    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task EachContactInAListingPageReadsByteForByteAsItsOwnAnswer(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);
        await c.ImportAsync(new
        {
            contacts = new object[]
            {
                new { uniqueCampusId = "P1", firstName = "Zoë 😀", lastName = "O'Brien <b>&", mobileNumber = "7165550101", optedOut = true, staffId = "S100",
                    customFields = new Dictionary<string, string> { ["Major"] = "Art \"&\" <History> 日本 \u2028", ["Advisor"] = "Dr. \\ Ng" } },
                ContactsApp.Row("P2", mobile: "7165550102"),
                ContactsApp.Row("P3", mobile: "7165550103", customFields: new { Advisor = "😀" }),
            },
        });
        // Times with a fraction of a second, of seven digits (six on PostgreSQL, which keeps microseconds) and of one: the
        // SQLite listing parses the stored text itself.
        var fraction = TimeSpan.FromTicks(store == Store.Sqlite ? 1_234_567 : 1_234_560);
        c.App.Time.Advance(fraction);
        await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P4", mobile: "7165550104") } });
        c.App.Time.Advance(TimeSpan.FromMilliseconds(500) - fraction);
        await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P5", mobile: "7165550105") } });

        var listed = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var response = await c.Client.GetAsync("/v2/contacts/SS?limit=2" + (cursor is null ? "" : "&cursor=" + cursor), TestContext.Current.CancellationToken);
            Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
            var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
            Assert.Equal(["contacts", "nextCursor"], page.EnumerateObject().Select(p => p.Name));
            listed.AddRange(page.GetProperty("contacts").EnumerateArray().Select(e => e.Clone()));
            cursor = page.Str("nextCursor");
        }
        while (cursor is not null && listed.Count < 10);

        Assert.Equal(["P1", "P2", "P3", "P4", "P5"], listed.Select(e => e.Str("uniqueCampusId")));
        Assert.EndsWith(store == Store.Sqlite ? ".1234567Z" : ".123456Z", listed[3].Str("updatedAt"));
        Assert.EndsWith(".5Z", listed[4].Str("updatedAt"));
        foreach (var contact in listed)
        {
            var own = await c.Client.GetStringAsync($"/v2/contacts/SS/by-id/{contact.Str("uniqueCampusId")}", TestContext.Current.CancellationToken);
            Assert.Equal(own, contact.GetRawText());
        }
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task ListingCursorCrossesTimestampsInOrderOfChangeThenCampusId(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);
        await c.ImportAsync(new { contacts = Enumerable.Range(0, 7).Select(i => ContactsApp.Row($"A{i}", mobile: $"71655502{i:00}")).ToArray() });
        c.App.Time.Advance(TimeSpan.FromMinutes(5));
        // B0-B4 are new; A1 and A5 change, so they move behind the untouched A's.
        await c.ImportAsync(new
        {
            contacts = Enumerable.Range(0, 5).Select(i => ContactsApp.Row($"B{i}", mobile: $"71655503{i:00}"))
            .Append(ContactsApp.Row("A5", "Changed", mobile: "7165550205")).Append(ContactsApp.Row("A1", "Changed", mobile: "7165550201")).ToArray()
        });

        var seen = new List<string>();
        string? cursor = null;
        for (var page = 0; page < 20; page++)
        {
            var body = await c.GetAsync("/v2/contacts/SS?limit=3" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(body.GetProperty("contacts").EnumerateArray().Select(x => x.Str("uniqueCampusId")!));
            cursor = body.Str("nextCursor");
            if (cursor is null)
            {
                break;
            }
        }
        var since = Uri.EscapeDataString(c.App.Time.GetUtcNow().AddMinutes(-1).ToString("O"));
        var first = await c.GetAsync("/v2/contacts/SS?limit=2&updatedSince=" + since);
        var rest = await c.GetAsync("/v2/contacts/SS?limit=10&updatedSince=" + since + "&cursor=" + first.Str("nextCursor"));

        Assert.Equal(["A0", "A2", "A3", "A4", "A6", "A1", "A5", "B0", "B1", "B2", "B3", "B4"], seen);
        Assert.Equal(["A1", "A5"], first.GetProperty("contacts").EnumerateArray().Select(x => x.Str("uniqueCampusId")));
        Assert.Equal(["B0", "B1", "B2", "B3", "B4"], rest.GetProperty("contacts").EnumerateArray().Select(x => x.Str("uniqueCampusId")));
        Assert.Null(rest.Str("nextCursor"));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task UpdatedSinceReturnsOnlyLaterChanges(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);
        await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1"), ContactsApp.Row("P2", mobile: "7165550102") } });
        c.App.Time.Advance(TimeSpan.FromHours(1));
        await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P2", "Changed", mobile: "7165550102") } });

        var since = Uri.EscapeDataString(c.App.Time.GetUtcNow().AddMinutes(-1).ToString("O"));
        var body = await c.GetAsync("/v2/contacts/SS?updatedSince=" + since);

        Assert.Equal(["P2"], body.GetProperty("contacts").EnumerateArray().Select(x => x.Str("uniqueCampusId")));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task CustomFieldsAreDefinedThroughTheApiAndTheCli(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);
        var ct = TestContext.Current.CancellationToken;

        var created = await c.Client.PostAsJsonAsync("/v2/teams/SS/fields", new { name = "Cohort", required = true, mergeable = true }, ct);
        var duplicate = await c.Client.PostAsJsonAsync("/v2/teams/SS/fields", new { name = "cohort" }, ct);
        var badName = await c.Client.PostAsJsonAsync("/v2/teams/SS/fields", new { name = "Shoe Size" }, ct);
        var cli = await c.App.CliAsync("fields", "add", "SS", "Term", "--hidden-from-staff");
        var cliDuplicate = await c.App.CliAsync("fields", "add", "ss", "term");
        var list = await c.GetAsync("/v2/teams/SS/fields");
        var cliList = await c.App.CliAsync("fields", "list", "SS");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await ProblemAssert.IsProblemAsync(duplicate, HttpStatusCode.Conflict);
        await ProblemAssert.IsProblemAsync(badName, HttpStatusCode.BadRequest);
        Assert.Equal(0, cli.ExitCode);
        Assert.Equal(1, cliDuplicate.ExitCode);
        Assert.Equal(["Advisor", "Cohort", "Major", "Term"], list.EnumerateArray().Select(f => f.Str("name")));
        Assert.Contains("Term", cliList.Out);
        // A required field must be present on a new contact.
        var report = await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1"), ContactsApp.Row("P2", mobile: "7165550102", customFields: new { Cohort = "2027" }) } });
        Assert.Equal((1, 1), (report.Int("created"), report.Int("failed")));
        Assert.Equal("customFields.Cohort", report.GetProperty("errors")[0].Str("field"));
    }

    [Fact]
    public async Task TheLargestLegalContactFitsInOneCallAndAMegabyteMoreIsA413()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);
        var ct = TestContext.Current.CancellationToken;
        for (var i = 3; i <= 100; i++)
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, (await c.Client.PostAsJsonAsync("/v2/teams/SS/fields", new { name = $"Field{i}" }, ct)).StatusCode);
        }
        // 100 fields of 1,000 characters outside ASCII: about 600 KB once escaped as \uXXXX.
        var fields = new Dictionary<string, string> { ["Major"] = new('é', 1000), ["Advisor"] = new('ü', 1000) };
        for (var i = 3; i <= 100; i++)
        {
            fields[$"Field{i}"] = new string('ñ', 1000);
        }

        var largest = await c.Client.PostAsJsonAsync("/v2/contacts/SS",
            new { uniqueCampusId = "P1", firstName = "Ada", lastName = "Lovelace", mobileNumber = "7165550101", customFields = fields }, ct);
        // Expect: 100-continue, as curl sends for a large body: the server can refuse before the body is sent. Without
        // it the client may still be writing when the server answers 413 and closes (a broken pipe, seen in CI).
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/contacts/SS")
        {
            Content = new StringContent($"{{\"uniqueCampusId\": \"P2\", \"firstName\": \"{new string('x', 1100 * 1024)}\"}}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        var tooLarge = await c.Client.SendAsync(request, ct);

        Assert.Equal(System.Net.HttpStatusCode.OK, largest.StatusCode);
        await ProblemAssert.IsProblemAsync(tooLarge, System.Net.HttpStatusCode.RequestEntityTooLarge);
    }
}
