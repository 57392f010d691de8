using Cadence.Contacts;

namespace Cadence.Tests.Contacts;

/// <summary>The opt-out words of an import on their own (PRODUCT.md §4): yes/true/y/1 opt out, no/false/n/0 opt in, blank keeps.</summary>
public sealed class InputValuesTests
{
    /// <summary>Also what the import's HTTP test sends, one contact a word, in one CSV.</summary>
    public static readonly (string Word, bool OptedOut)[] Choices =
        [("yes", true), ("TRUE", true), ("y", true), ("1", true), ("no", false), ("false", false), ("N", false), ("0", false)];

    public static TheoryData<string, bool> ChoiceCases => new(Choices.Select(c => (c.Word, c.OptedOut)));

    [Theory]
    [MemberData(nameof(ChoiceCases))]
    public void TheDocumentedWordsAreChoices(string word, bool optedOut)
    {
        Assert.True(InputValues.TryParseChoice(word, out var value));
        Assert.Equal(optedOut, value);
        Assert.True(InputValues.TryParseChoice($" {word} ", out var spaced));
        Assert.Equal(optedOut, spaced);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void BlankIsAChoiceToKeep(string text)
    {
        Assert.True(InputValues.TryParseChoice(text, out var value));
        Assert.Null(value);
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("2")]
    [InlineData("yes please")]
    public void AnythingElseIsNoChoice(string text) => Assert.False(InputValues.TryParseChoice(text, out _));
}
