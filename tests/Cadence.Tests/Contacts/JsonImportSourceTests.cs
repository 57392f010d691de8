using System.Text;
using Cadence.Contacts;

namespace Cadence.Tests.Contacts;

/// <summary>
/// The JSON import reads each contact once it is wholly in its 64 KiB window; a contact cut by the window's end is
/// read again with more of the body. Many contacts of varying sizes put the cut at every kind of token.
/// </summary>
public sealed class JsonImportSourceTests
{
    [Fact]
    public void ContactsCutByTheReadingWindowAnywhereAreReadWholeAndInOrder()
    {
        const int count = 30_000;
        var body = new StringBuilder("{\"notificationEmail\":\"it@college.edu\",\"allowMobileUpdate\":false,\"contacts\":[");
        for (var i = 0; i < count; i++)
        {
            var padding = new string('x', i % 97);
            body.Append(i == 0 ? "" : ",").Append('{')
                .Append($"\"uniqueCampusId\":\"S{i}\",\"extra\":{{\"a\":[1,2,{{\"b\":\"{padding}\"}}],\"c\":null}},")
                .Append($"\"FirstName\":\"F{i}{padding}\",\"lastName\":\"L\\u00e9{i}\",\"mobileNumber\":{2002000000L + i},")
                .Append($"\"optedOut\":{i % 2},\"customFields\":{{\"Major\":\"M{i}\",\"Note\":null,\"Year\":{i % 5}}}")
                .Append('}');
        }
        body.Append("],\"after\":[1,{\"contacts\":[2]}],\"allowMobileUpdate\":0}");

        using var source = JsonImportSource.Open(new MemoryStream(Encoding.UTF8.GetBytes(body.ToString())));
        Assert.Equal("it@college.edu", source.NotificationEmail);
        for (var i = 0; i < count; i++)
        {
            var contact = source.Next();
            Assert.NotNull(contact);
            Assert.Empty(contact.Errors);
            Assert.Equal(i + 1, contact.Row);
            Assert.Equal($"S{i}", contact.UniqueCampusId);
            Assert.Equal($"F{i}{new string('x', i % 97)}", contact.FirstName);
            Assert.Equal($"L\u00e9{i}", contact.LastName);
            Assert.Equal($"{2002000000L + i}", contact.MobileNumber);
            Assert.Equal(i % 2 == 1, contact.OptedOut);
            Assert.False(contact.AllowMobileUpdate);
            Assert.Equal($"M{i}", contact.CustomFields["Major"]);
            Assert.Null(contact.CustomFields["Note"]);
            Assert.Equal($"{i % 5}", contact.CustomFields["Year"]);
        }
        Assert.Null(source.Next());
    }

    [Fact]
    public void AContactCutAtAnyByteIsReadWholeAndItsNestedUnknownValuesAreNeverDecoded()
    {
        // Nested names no whole read decodes: a lone surrogate, and a nested "optedOut" whose value is one.
        const string target = "{\"uniqueCampusId\":\"T1\",\"extra\":{\"\\uD800\":{\"optedOut\":\"\\uDC00\"},\"n\":[1,{\"x\":null}]}," +
            "\"firstName\":\"Ann\",\"lastName\":\"Lee\",\"mobileNumber\":\"2025550123\",\"optedOut\":true," +
            "\"customFields\":{\"Major\":\"Art\",\"Deep\":{\"\\uDBFF\":[]},\"Year\":3}}";
        const string head = "{\"contacts\":[";
        const string padStart = "{\"uniqueCampusId\":\"P\",\"pad\":\"";
        const string padEnd = "\"},";
        for (var cut = 1; cut < target.Length; cut++)
        {
            // The window's first end (64 KiB) falls `cut` bytes into the target contact.
            var padding = new string('x', 64 * 1024 - cut - head.Length - padStart.Length - padEnd.Length);
            var body = head + padStart + padding + padEnd + target + "]}";
            using var source = JsonImportSource.Open(new MemoryStream(Encoding.UTF8.GetBytes(body)));
            Assert.Equal("P", source.Next()!.UniqueCampusId);
            var contact = source.Next();
            Assert.NotNull(contact);
            Assert.Equal(["customFields.Deep"], contact.Errors.Select(e => e.Field));
            Assert.Equal(("T1", "Ann", "Lee", "2025550123", (bool?)true), (contact.UniqueCampusId, contact.FirstName, contact.LastName, contact.MobileNumber, contact.OptedOut));
            Assert.Equal("Art", contact.CustomFields["Major"]);
            Assert.Equal("3", contact.CustomFields["Year"]);
            Assert.Null(source.Next());
        }
    }

    [Fact]
    public void AnAllowMobileUpdateAfterTheContactsRewindsTheSourceOnceToReadItsRowsWithIt()
    {
        const string body = "{\"contacts\":[{\"uniqueCampusId\":\"A\"},{\"uniqueCampusId\":\"B\",\"allowMobileUpdate\":true}]," +
            "\"allowMobileUpdate\":0,\"notificationEmail\":\"it@college.edu\"}";
        using var source = JsonImportSource.Open(new MemoryStream(Encoding.UTF8.GetBytes(body)));
        Assert.Null(source.NotificationEmail);
        Assert.Equal([("A", true), ("B", true)], [Read(source), Read(source)]);

        Assert.Throws<ContactSourceRewound>(source.Next);

        Assert.Equal("it@college.edu", source.NotificationEmail);
        // The row's own value still wins over the body's.
        Assert.Equal([("A", false), ("B", true)], [Read(source), Read(source)]);
        Assert.Null(source.Next());
        Assert.Null(source.Next());
    }

    [Theory]
    [InlineData("],\"allowMobileUpdate\":true}")]
    [InlineData("],\"allowMobileUpdate\":null,\"contacts\":[{\"uniqueCampusId\":\"C\"}]}")]
    public void OptionsAfterTheContactsThatChangeNoRowEndTheSourceWithoutARewind(string tail)
    {
        using var source = JsonImportSource.Open(new MemoryStream(Encoding.UTF8.GetBytes("{\"contacts\":[{\"uniqueCampusId\":\"A\"}" + tail)));

        Assert.Equal(("A", true), Read(source));
        Assert.Null(source.Next());
    }

    [Theory]
    [InlineData("],\"notificationEmail\":\"not an address\"}", "notificationEmail must be an email address")]
    [InlineData("],\"allowMobileUpdate\":\"maybe\"}", "allowMobileUpdate must be true or false")]
    [InlineData("]} {}", "not valid JSON")]
    [InlineData("],\"x\":[1,}", "not valid JSON")]
    [InlineData("]", "not valid JSON")]
    public void WhatFollowsTheContactsIsCheckedAfterTheLastRow(string tail, string error)
    {
        using var source = JsonImportSource.Open(new MemoryStream(Encoding.UTF8.GetBytes("{\"contacts\":[{\"uniqueCampusId\":\"A\"}" + tail)));

        Assert.Equal(("A", true), Read(source));
        Assert.Contains(error, Assert.Throws<CadenceException>(source.Next).Message);
    }

    [Fact]
    public void The100001stContactIsRefusedAsItBegins()
    {
        var body = "{\"contacts\":[" + string.Join(",", Enumerable.Repeat("{}", ContactRules.MaxRowsPerImport + 1)) + "]}";
        using var source = JsonImportSource.Open(new MemoryStream(Encoding.UTF8.GetBytes(body)));
        for (var i = 0; i < ContactRules.MaxRowsPerImport; i++)
        {
            Assert.NotNull(source.Next());
        }

        var refused = Assert.Throws<CadenceException>(source.Next);

        Assert.Equal(413, refused.StatusCode);
    }

    static (string?, bool) Read(JsonImportSource source) => source.Next() is { } c ? (c.UniqueCampusId, c.AllowMobileUpdate) : throw new InvalidOperationException("no row");
}
