using Cadence.Teams;

namespace Cadence.Tests.Teams;

public sealed class DepartmentCodeTests
{
    [Theory]
    [InlineData("SS", "SS")]
    [InlineData(" ss ", "SS")]
    [InlineData("fin_aid-2", "FIN_AID-2")]
    [InlineData("ABCDEFGHIJKLMNOP", "ABCDEFGHIJKLMNOP")]
    public void ACodeIsTrimmedAndUpperCased(string text, string expected)
    {
        Assert.True(DepartmentCode.TryParse(text, out var code));
        Assert.Equal(expected, code.ToString());
        Assert.Equal(code, DepartmentCode.Parse(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("S S")]
    [InlineData("SS.1")]
    [InlineData("ABCDEFGHIJKLMNOPQ")]
    [InlineData("ÉCOLE")]
    public void TextThatBreaksTheRuleIsNoCode(string? text)
    {
        Assert.False(DepartmentCode.TryParse(text, out var code));
        Assert.Equal("", code.ToString());
    }

    [Fact]
    public void ParseRefusesWithTheRuleAndACutShortEcho()
    {
        var error = Assert.Throws<CadenceException>(() => DepartmentCode.Parse(new string('x', 50)));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal($"'{new string('x', 40)}…' is not a department code: use 1 to 16 letters, digits, '-' or '_'.", error.Message);
    }

    [Fact]
    public void NormalizeKeepsTextThatIsNoCodeForShowing()
    {
        Assert.Equal("S S", DepartmentCode.Normalize(" s s "));
    }
}
