using Cadence.Contacts;
using Cadence.Messages;

namespace Cadence.Tests.Inbox;

/// <summary>Issue #10's gap, mended: a sent text records where custom field values went, so masking does not depend on today's values.</summary>
public sealed class MergeSpansTests
{
    static readonly Contact Ada = new()
    {
        UniqueCampusId = "P1", FirstName = "Ada", LastName = "Lovelace", MobileNumber = "1-716-555-0101",
        CustomFields = """{"Gpa":"3.97","Major":"Math"}""",
    };

    static readonly HashSet<string> GpaHidden = new(["gpa"], StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void MergeRecordsWhereEachCustomFieldValueWentButNotTheNames()
    {
        var merged = MessageText.Merge("Hi {FirstName}: GPA {Gpa}, major {Major}, again {gpa}.", Ada);
        Assert.Equal("Hi Ada: GPA 3.97, major Math, again 3.97.", merged.Text);
        Assert.Equal("12:4:Gpa;24:4:Major;36:4:Gpa", merged.MergedFields);
    }

    [Fact]
    public void OnlyTheHiddenFieldsSpansAreMaskedWhereverTheSameCharactersOccur()
    {
        var merged = MessageText.Merge("Room 3.97: GPA {Gpa}, major {Major}.", Ada);
        Assert.Equal("Room 3.97: GPA [hidden], major Math.", MergeSpans.Mask(merged.Text!, merged.MergedFields!, GpaHidden, "[hidden]"));
    }

    [Fact]
    public void ATextWithNoCustomFieldsHasAnEmptyListAndOneTooLongForItsColumnIsMaskedWhole()
    {
        Assert.Equal("", MessageText.Merge("Hi {FirstName}", Ada).MergedFields);
        var many = string.Concat(Enumerable.Repeat("{Gpa}", 300));
        var merged = MessageText.Merge(many, Ada, MessageText.MaxReplyLength);
        Assert.Equal(MergeSpans.TooMany, merged.MergedFields);
        Assert.Equal("[hidden]", MergeSpans.Mask(merged.Text!, merged.MergedFields!, GpaHidden, "[hidden]"));
    }

    [Fact]
    public void RepliesMayBe1500CharactersAndNewTextsStay306()
    {
        MessageText.Validate(new string('a', 1500), MessageText.MaxReplyLength);
        var tooLong = Assert.Throws<CadenceException>(() => MessageText.Validate(new string('a', 307)));
        Assert.Contains("at most 306", tooLong.Message);
        Assert.Throws<CadenceException>(() => MessageText.Validate(new string('a', 1501), MessageText.MaxReplyLength));
    }
}
