using System.Text;
using System.Text.Json;

namespace Cadence.Bench;

/// <summary>A generated contact; person i always has the same campus id and mobile number, so lookups can find them.</summary>
sealed record Person(string Id, string First, string Last, string Mobile, string Major);

/// <summary>Generated people and the import bodies that carry them.</summary>
static class People
{
    public static string Id(long i) => $"P{i:D9}";

    public static string Mobile(long i) => $"{2002000000L + i * 7L:D10}";

    /// <summary>People first..first+count; every changedEvery-th one renamed (0: none).</summary>
    public static Person[] Generate(int count, long first = 0, int changedEvery = 0) =>
        [.. Enumerable.Range(0, count).Select(n => first + n).Select(i => new Person(
            Id(i), changedEvery > 0 && i % changedEvery == 0 ? $"Renamed{i}" : $"First{i}", $"Last{i}", Mobile(i), i % 3 == 0 ? "History" : "Biology"))];

    public static byte[] Json(Person[] people) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        notificationEmail = "it@college.edu",
        contacts = people.Select(p => new { uniqueCampusId = p.Id, firstName = p.First, lastName = p.Last, mobileNumber = p.Mobile, optedOut = 0, customFields = new { p.Major } }),
    });

    public static byte[] Csv(Person[] people)
    {
        var text = new StringBuilder("ContactId,FirstName,LastName,MobileNumber,OptedOut,Major\n");
        foreach (var p in people)
        {
            text.Append(p.Id).Append(',').Append(p.First).Append(',').Append(p.Last).Append(',').Append(p.Mobile).Append(",0,").Append(p.Major).Append('\n');
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>
    /// A CSV of these people close to <paramref name="targetBytes"/>: two custom fields, Note1 and Note2, of
    /// equal length (at most the 1,000 characters a value may have) fill each row.
    /// </summary>
    public static (byte[] Body, int NoteLength) LargeCsv(Person[] people, long targetBytes)
    {
        var plain = Csv(people).LongLength;
        var noteLength = (int)Math.Min(1000, (targetBytes - plain) / people.Length / 2 - 1);
        const string words = "Transferred from community college; advising notes follow. ";
        var text = new StringBuilder("ContactId,FirstName,LastName,MobileNumber,OptedOut,Major,Note1,Note2\n");
        foreach (var p in people)
        {
            text.Append(p.Id).Append(',').Append(p.First).Append(',').Append(p.Last).Append(',').Append(p.Mobile).Append(",0,").Append(p.Major);
            for (var field = 0; field < 2; field++)
            {
                text.Append(',').Append(p.Id);
                for (var written = p.Id.Length; written < noteLength; written += words.Length)
                {
                    text.Append(words, 0, Math.Min(words.Length, noteLength - written));
                }
            }
            text.Append('\n');
        }
        return (Encoding.UTF8.GetBytes(text.ToString()), noteLength);
    }
}
