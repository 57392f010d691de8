using Cadence.Contacts;

namespace Cadence.Tests.Contacts;

/// <summary>The mobile-number rule on its own: North American formats, stored as 1-XXX-XXX-XXXX, numbering plan kept.</summary>
public sealed class PhoneNumberTests
{
    /// <summary>Also what the import's HTTP test sends, one after another, to one server.</summary>
    public static readonly string[] NorthAmericanFormats =
        ["716-555-0101", "(716) 555-0101", "716.555.0101", "716 555 0101", "7165550101", "17165550101", "+1 716 555 0101", "1-716-555-0101", "+1 (716) 555-0101"];

    public static readonly string[] NotMobileNumbers = ["716-555-010", "27165550101", "716-555-0101 x2", "716-CALL-NOW", "716555010112", "", "   "];

    public static TheoryData<string> NorthAmericanFormatCases => new(NorthAmericanFormats);

    public static TheoryData<string> NotMobileNumberCases => new(NotMobileNumbers);

    [Theory]
    [MemberData(nameof(NorthAmericanFormatCases))]
    public void AnyNorthAmericanFormatBecomesOneForm(string text)
    {
        Assert.True(PhoneNumber.TryNormalize(text, out var normalized));
        Assert.Equal("1-716-555-0101", normalized);
    }

    [Theory]
    [InlineData("000-000-0000")]
    [InlineData("123-456-7890")]
    [InlineData("716-055-0101")]
    [InlineData("716-155-0101")]
    [InlineData("016-555-0101")]
    [InlineData("1-116-555-0101")]
    public void AreaCodeAndExchangeStartWithTwoToNine(string text) => Assert.False(PhoneNumber.TryNormalize(text, out _));

    [Theory]
    [InlineData("212-555-0199")]
    [InlineData("905-200-0000")]
    [InlineData("999-999-9999")]
    [InlineData("200-200-0000")]
    public void NumbersThatKeepThePlanStayValid(string text) => Assert.True(PhoneNumber.TryNormalize(text, out _));

    [Theory]
    [MemberData(nameof(NotMobileNumberCases))]
    public void AnythingElseIsNotAMobileNumber(string text) => Assert.False(PhoneNumber.TryNormalize(text, out _));

    [Fact]
    public void TheRuleNamesTheNumberingPlan() => Assert.Contains("area code and the exchange start with 2 to 9", PhoneNumber.Rule);
}
