using Cadence.Contacts;

namespace Cadence.Tests.Contacts;

/// <summary>The mobile-number rule on its own: North American formats, stored as 1-XXX-XXX-XXXX, numbering plan kept.</summary>
public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("716-555-0101")]
    [InlineData("(716) 555-0101")]
    [InlineData("716.555.0101")]
    [InlineData("716 555 0101")]
    [InlineData("7165550101")]
    [InlineData("17165550101")]
    [InlineData("+1 716 555 0101")]
    [InlineData("1-716-555-0101")]
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
    [InlineData("716-555-010")]
    [InlineData("27165550101")]
    [InlineData("716-555-0101 x2")]
    [InlineData("716-CALL-NOW")]
    [InlineData("716555010112")]
    [InlineData("")]
    [InlineData("   ")]
    public void AnythingElseIsNotAMobileNumber(string text) => Assert.False(PhoneNumber.TryNormalize(text, out _));

    [Fact]
    public void TheRuleNamesTheNumberingPlan() => Assert.Contains("area code and the exchange start with 2 to 9", PhoneNumber.Rule);
}
