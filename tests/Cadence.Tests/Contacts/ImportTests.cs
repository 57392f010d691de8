using System.Net;
using System.Text.Json;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Contacts;

/// <summary>The import rules of PRODUCT.md §4, on SQLite and on PostgreSQL.</summary>
public sealed class ImportTests
{
    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task TheHostedApisRequestShapesWorkUnchanged(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);
        // Exactly what existing integration scripts send: numbers for booleans, nulls, allowMobileUpdate: 1.
        var body = JsonDocument.Parse("""
            {"notificationEmail": "it@example.edu", "contacts": [{"uniqueCampusId": "P000000001", "firstName": "Ada",
             "lastName": "Lovelace", "mobileNumber": "716-555-0101", "optedOut": 0, "staffId": null,
             "customFields": {"Major": "Mathematics", "Advisor": null}, "allowMobileUpdate": 1}]}
            """).RootElement;

        var report = await c.ImportAsync(body);

        Assert.True(Guid.TryParse(report.Str("batchIdentifier"), out _));
        Assert.Equal(1, report.Int("created"));
        Assert.Equal(0, report.Int("failed"));
        var contact = await c.GetAsync("/v2/contacts/SS/716-555-0101");
        Assert.Equal("P000000001", contact.Str("uniqueCampusId"));
        Assert.Equal("1-716-555-0101", contact.Str("mobileNumber"));
        Assert.False(contact.GetProperty("optedOut").GetBoolean());
        Assert.Equal(JsonValueKind.Null, contact.GetProperty("staffId").ValueKind);
        Assert.Equal("Mathematics", contact.GetProperty("customFields").GetProperty("Major").GetString());
        Assert.False(contact.GetProperty("customFields").TryGetProperty("Advisor", out _));
        await c.GetAsync("/v2/contacts/SS/716-555-0199", HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task ImportUpsertsByCampusIdAndNeverDuplicatesOrDeletes(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);
        await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1"), ContactsApp.Row("P2", "Bob", mobile: "7165550102") } });

        var again = await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1"), ContactsApp.Row("P2", "Robert", mobile: "7165550102") } });
        var third = await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P3", "Cy", mobile: "7165550103") } });

        Assert.Equal((0, 1, 1), (again.Int("created"), again.Int("updated"), again.Int("unchanged")));
        Assert.Equal(1, third.Int("created"));
        Assert.Equal(3, await c.ContactCountAsync());
        Assert.Equal("Robert", (await c.GetAsync("/v2/contacts/SS/by-id/P2")).Str("firstName"));
    }

    /// <summary>
    /// An import looks the stored contacts up a chunk of rows at a time; its rules hold across chunks as within one: a
    /// number a contact leaves in this batch stays reserved, a number given in this batch is taken, a repeated id is
    /// reported, and a stored contact named only in a late chunk is found.
    /// </summary>
    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task TheBatchRulesHoldAcrossTheChunksAnImportLooksContactsUpBy(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);
        const int chunk = Cadence.Contacts.ContactImporter.LookupChunkRows;
        var stored = Enumerable.Range(0, chunk * 3).Select(i => ContactsApp.Row($"P{i:D5}", mobile: $"{2002000000 + i}")).ToList();
        stored.Add(ContactsApp.Row("MOVER", mobile: "716-555-0101"));
        stored.Add(ContactsApp.Row("KEEPER", mobile: "716-555-0102"));
        await c.ImportAsync(new { contacts = stored });

        var rows = new List<object>
        {
            ContactsApp.Row("MOVER", mobile: "716-555-0103"),                  // chunk 1: leaves 0101
            ContactsApp.Row("FRESH", mobile: "716-555-0104"),                  // chunk 1: takes 0104
        };
        rows.AddRange(Enumerable.Range(0, chunk * 3).Select(i => ContactsApp.Row($"P{i:D5}", last: "Byron", mobile: $"{2002000000 + i}")));
        rows.Add(ContactsApp.Row("TAKER1", mobile: "716-555-0101"));           // last chunk: MOVER's old number
        rows.Add(ContactsApp.Row("TAKER2", mobile: "716-555-0104"));           // FRESH's new number
        rows.Add(ContactsApp.Row("TAKER3", mobile: "716-555-0102"));           // KEEPER's, not in this batch
        rows.Add(ContactsApp.Row("P00000", last: "Again", mobile: "2002000000")); // named in chunk 1 already
        rows.Add(ContactsApp.Row("KEEPER", last: "Late"));                     // found only in the last chunk; its row carries 0101, which MOVER left
        rows.Add(ContactsApp.Row("LATE", mobile: "716-555-0105"));

        var report = await c.ImportAsync(new { contacts = rows });

        var errors = report.GetProperty("errors").EnumerateArray().Select(e => (e.Str("uniqueCampusId"), e.Str("reason"))).ToList();
        Assert.Equal((2, chunk * 3 + 1, 5), (report.Int("created"), report.Int("updated"), report.Int("failed")));
        Assert.Contains(errors, e => e.Item1 == "TAKER1" && e.Item2!.Contains("MOVER"));
        Assert.Contains(errors, e => e.Item1 == "TAKER2" && e.Item2!.Contains("FRESH"));
        Assert.Contains(errors, e => e.Item1 == "TAKER3" && e.Item2!.Contains("KEEPER"));
        Assert.Contains(errors, e => e.Item1 == "P00000" && e.Item2!.Contains("row 3"));
        Assert.Contains(errors, e => e.Item1 == "KEEPER" && e.Item2!.Contains("MOVER"));
        Assert.Equal("Byron", (await c.GetAsync($"/v2/contacts/SS/by-id/P{chunk * 3 - 1:D5}")).Str("lastName"));
        Assert.Equal("Lovelace", (await c.GetAsync("/v2/contacts/SS/by-id/KEEPER")).Str("lastName"));
        Assert.Equal("1-716-555-0103", (await c.GetAsync("/v2/contacts/SS/by-id/MOVER")).Str("mobileNumber"));
        Assert.Equal(chunk * 3 + 4, await c.ContactCountAsync());
    }

    /// <summary>The formats themselves are <see cref="PhoneNumberTests"/>' cases; this proves the import and the lookup use the rule.</summary>
    [Fact]
    public async Task AnyNorthAmericanFormatIsStoredAsOneForm()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);

        foreach (var number in PhoneNumberTests.NorthAmericanFormats)
        {
            var report = await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", mobile: number) } });
            Assert.Equal(0, report.Int("failed")); // every format is the stored number: the row is imported (or unchanged), never refused

            Assert.Equal("1-716-555-0101", (await c.GetAsync("/v2/contacts/SS/by-id/P1")).Str("mobileNumber"));
            Assert.Equal("P1", (await c.GetAsync("/v2/contacts/SS/" + Uri.EscapeDataString(number))).Str("uniqueCampusId"));
        }
    }

    [Fact]
    public async Task AnythingElseIsARowErrorAndTheGoodRowsStillImport()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);
        var bad = PhoneNumberTests.NotMobileNumbers.Where(n => n.Trim().Length > 0).ToArray();

        var report = await c.ImportAsync(new { contacts = bad.Select((n, i) => ContactsApp.Row($"BAD{i}", mobile: n)).Append(ContactsApp.Row("GOOD", mobile: "7165550199")) });

        Assert.Equal((1, bad.Length), (report.Int("created"), report.Int("failed")));
        var errors = report.GetProperty("errors").EnumerateArray().Select(e => (e.Int("row"), e.Str("uniqueCampusId"), e.Str("field")));
        Assert.Equal(bad.Select((_, i) => (i + 1, (string?)$"BAD{i}", (string?)"mobileNumber")), errors);
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task OptOutFollowsTheFirstAndLaterImportRulesAndEveryChangeIsRecorded(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);
        async Task<bool> OptedOut() => (await c.GetAsync("/v2/contacts/SS/by-id/P1")).GetProperty("optedOut").GetBoolean();

        await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1") } });
        Assert.False(await OptedOut()); // first import without a value: opted in
        await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", optedOut: 1) } });
        Assert.True(await OptedOut());
        await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1") } });
        Assert.True(await OptedOut()); // absent keeps
        await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", optedOut: "") } });
        Assert.True(await OptedOut()); // blank keeps
        await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", optedOut: "n") } });
        Assert.False(await OptedOut());

        var changes = await c.OptOutChangesAsync();
        Assert.Equal([(false, true), (true, false)], changes.Select(o => (o.OldValue, o.NewValue)));
        Assert.All(changes, o => Assert.Equal("import", o.Source));
    }

    /// <summary>The words themselves are <see cref="InputValuesTests"/>' cases; this proves a CSV import reads them so.</summary>
    [Fact]
    public async Task OptOutAcceptsTheDocumentedWords()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);
        var words = InputValuesTests.Choices;
        var rows = words.Select((w, i) => $"P{i},Ada,Lovelace,71655501{i:D2},{w.Word}");

        await c.ImportTextAsync("ContactId,FirstName,LastName,MobileNumber,OptedOut\n" + string.Join("\n", rows) + "\n", "text/csv");

        for (var i = 0; i < words.Length; i++)
        {
            Assert.Equal(words[i].OptedOut, (await c.GetAsync($"/v2/contacts/SS/by-id/P{i}")).GetProperty("optedOut").GetBoolean());
        }
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task AnUnreadableOptOutIsARowError(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);

        var report = await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", optedOut: "maybe"), ContactsApp.Row("P2", mobile: "7165550102", optedOut: 2) } });

        Assert.Equal(2, report.Int("failed"));
        Assert.All(report.GetProperty("errors").EnumerateArray(), e => Assert.Equal("optedOut", e.Str("field")));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task StaffIdMustMatchAUserAndBlankClearsIt(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);
        var row = new { uniqueCampusId = "P1", firstName = "Ada", lastName = "L", mobileNumber = "7165550101", staffId = "S100" };

        await c.ImportAsync(new { contacts = new[] { row } });
        Assert.Equal("S100", (await c.GetAsync("/v2/contacts/SS/by-id/P1")).Str("staffId"));
        var unknown = await c.ImportAsync(new { contacts = new[] { row with { staffId = "NOBODY" } } });
        Assert.Equal("staffId", unknown.GetProperty("errors")[0].Str("field"));
        await c.ImportAsync(new { contacts = new[] { new { uniqueCampusId = "P1", firstName = "Ada", lastName = "L", mobileNumber = "7165550101" } } });
        Assert.Equal("S100", (await c.GetAsync("/v2/contacts/SS/by-id/P1")).Str("staffId")); // absent keeps
        await c.ImportAsync(new { contacts = new[] { row with { staffId = "" } } });
        Assert.Equal(JsonValueKind.Null, (await c.GetAsync("/v2/contacts/SS/by-id/P1")).GetProperty("staffId").ValueKind);
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task CustomFieldsMustBeDefinedAndNullClearsAValue(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);

        await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", customFields: new { Major = "History", Advisor = "Dr. Who" }) } });
        var unknown = await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", customFields: new { Minor = "Art" }) } });
        await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", customFields: new Dictionary<string, string?> { ["major"] = null }) } });

        Assert.Equal("customFields.minor", unknown.GetProperty("errors")[0].Str("field"), ignoreCase: true);
        var fields = (await c.GetAsync("/v2/contacts/SS/by-id/P1")).GetProperty("customFields");
        Assert.False(fields.TryGetProperty("Major", out _));
        Assert.Equal("Dr. Who", fields.GetProperty("Advisor").GetString());
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task EachRowGetsOnlyTheCustomFieldsItGives(Store store)
    {
        // The plan reuses one values dictionary across rows: a row's values must never carry into the next.
        await using var c = await ContactsApp.StartAsync(store);
        await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P2", mobile: "716-555-0102") } });

        await c.ImportAsync(new
        {
            contacts = new[]
            {
                ContactsApp.Row("P1", customFields: new { Major = "History" }),
                ContactsApp.Row("P2", mobile: "716-555-0102"),
                ContactsApp.Row("P3", mobile: "716-555-0103"),
            },
        });

        Assert.Equal("History", (await c.GetAsync("/v2/contacts/SS/by-id/P1")).GetProperty("customFields").GetProperty("Major").GetString());
        Assert.False((await c.GetAsync("/v2/contacts/SS/by-id/P2")).GetProperty("customFields").TryGetProperty("Major", out _));
        Assert.False((await c.GetAsync("/v2/contacts/SS/by-id/P3")).GetProperty("customFields").TryGetProperty("Major", out _));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task AllowMobileUpdateFalseKeepsTheNumberOnFile(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);
        await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", mobile: "7165550101") } });

        await c.ImportAsync(new { contacts = new[] { new { uniqueCampusId = "P1", firstName = "Ada", lastName = "King", mobileNumber = "7165550999", allowMobileUpdate = 0 } } });
        var kept = await c.GetAsync("/v2/contacts/SS/by-id/P1");
        await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", mobile: "7165550999") } });
        var changed = await c.GetAsync("/v2/contacts/SS/by-id/P1");

        Assert.Equal(("1-716-555-0101", "King"), (kept.Str("mobileNumber"), kept.Str("lastName")));
        Assert.Equal("1-716-555-0999", changed.Str("mobileNumber"));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task AnIdListedTwiceInOneBatchIsImportedOnceAndTheRepeatReported(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);

        var report = await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", "First"), ContactsApp.Row("P1", "Second") } });

        Assert.Equal((1, 1), (report.Int("created"), report.Int("failed")));
        Assert.Contains("row 1", report.GetProperty("errors")[0].Str("reason"));
        Assert.Equal("First", (await c.GetAsync("/v2/contacts/SS/by-id/P1")).Str("firstName"));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task ANumberAlreadyHeldByAnotherContactIsARowError(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);
        await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", mobile: "7165550101") } });

        var report = await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P2", mobile: "716.555.0101") } });

        Assert.Equal(1, report.Int("failed"));
        Assert.Contains("P1", report.GetProperty("errors")[0].Str("reason"));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task TheReportCanBeReadAgainLater(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);
        var report = await c.ImportAsync(new { notificationEmail = "it@college.edu", contacts = new[] { ContactsApp.Row("P1"), ContactsApp.Row("", mobile: "7165550102") } });

        var later = await c.GetAsync($"/v2/contacts/SS/import/{report.Str("batchIdentifier")}");

        Assert.Equal(report.GetRawText(), later.GetRawText());
        Assert.Equal("it@college.edu", later.Str("notificationEmail"));
        await c.GetAsync($"/v2/contacts/SS/import/{Guid.NewGuid()}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnEmptyNotificationEmailIsTakenAsNone()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);

        var report = await c.ImportAsync(new { notificationEmail = "", contacts = new[] { ContactsApp.Row("P1") } });

        Assert.Equal(1, report.Int("created"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, report.GetProperty("notificationEmail").ValueKind);
    }
}
