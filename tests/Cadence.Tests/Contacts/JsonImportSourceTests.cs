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
        var body = new StringBuilder("{\"notificationEmail\":\"it@college.edu\",\"contacts\":[");
        for (var i = 0; i < count; i++)
        {
            var padding = new string('x', i % 97);
            body.Append(i == 0 ? "" : ",").Append('{')
                .Append($"\"uniqueCampusId\":\"S{i}\",\"extra\":{{\"a\":[1,2,{{\"b\":\"{padding}\"}}],\"c\":null}},")
                .Append($"\"FirstName\":\"F{i}{padding}\",\"lastName\":\"L\\u00e9{i}\",\"mobileNumber\":{2002000000L + i},")
                .Append($"\"optedOut\":{i % 2},\"customFields\":{{\"Major\":\"M{i}\",\"Note\":null,\"Year\":{i % 5}}}")
                .Append('}');
        }
        body.Append("],\"allowMobileUpdate\":false}");

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
}
