namespace Cadence.Tests.Root;

public sealed class TextCutTests
{
    const string Emoji = "\U0001F600"; // one emoji: a high and a low surrogate

    [Fact]
    public void CutKeepsTheFirstMaxCharactersAndMarksTheCut()
    {
        Assert.Equal("abc…", TextCut.Cut("abcdef", 3));
    }

    [Fact]
    public void CutLeavesTextThatFitsAsItIs()
    {
        Assert.Equal("abc", TextCut.Cut("abc", 3));
        Assert.Equal("", TextCut.Cut("", 3));
    }

    [Fact]
    public void CutLeavesNullAsNull()
    {
        Assert.Null(TextCut.Cut(null, 3));
        Assert.Null(TextCut.Fit(null, 3));
        Assert.Null(TextCut.CutStart(null, 3));
    }

    [Fact]
    public void CutNeverSplitsASurrogatePair()
    {
        // The cut would fall between the emoji's two halves: the whole emoji goes.
        Assert.Equal("ab…", TextCut.Cut("ab" + Emoji + "cd", 3));
        Assert.Equal("ab" + Emoji + "…", TextCut.Cut("ab" + Emoji + "cd", 4));
    }

    [Fact]
    public void PrefixKeepsTheFirstMaxCharactersUnmarkedAndNeverSplitsAPair()
    {
        Assert.Equal("abc", TextCut.Prefix("abcdef", 3));
        Assert.Equal("abc", TextCut.Prefix("abc", 3));
        Assert.Equal("ab", TextCut.Prefix("ab" + Emoji + "cd", 3));
        Assert.Null(TextCut.Prefix(null, 3));
    }

    [Fact]
    public void EchoQuotesAClientsValueUpToTheEchoLength()
    {
        Assert.Equal(new string('x', TextCut.EchoLength) + TextCut.Mark, TextCut.Echo(new string('x', TextCut.EchoLength + 1)));
        Assert.Equal(new string('x', TextCut.EchoLength), TextCut.Echo(new string('x', TextCut.EchoLength)));
    }

    [Fact]
    public void FitCountsTheMarkInTheLength()
    {
        Assert.Equal("abcd…", TextCut.Fit("abcdefgh", 5));
        Assert.Equal("abcde", TextCut.Fit("abcde", 5));
        Assert.Equal("abc" + Emoji, TextCut.Fit("abc" + Emoji, 5));
    }

    [Fact]
    public void FitNeverSplitsASurrogatePair()
    {
        var cut = TextCut.Fit("abc" + Emoji + "defgh", 5);

        Assert.Equal("abc…", cut);
        Assert.True(cut.Length <= 5);
    }

    [Fact]
    public void CutStartKeepsTheEndOfAPath()
    {
        Assert.Equal("…/c/d.txt", TextCut.CutStart("/a/b/c/d.txt", 8));
        Assert.Equal("/d.txt", TextCut.CutStart("/d.txt", 8));
    }

    [Fact]
    public void CutStartNeverSplitsASurrogatePair()
    {
        // The kept end would start with the emoji's second half: the whole emoji goes.
        Assert.Equal("…cd", TextCut.CutStart("ab" + Emoji + "cd", 3));
    }

    [Fact]
    public void EveryCutIsValidUnicode()
    {
        var text = string.Concat(Enumerable.Repeat("a" + Emoji, 20));
        for (var max = 1; max < text.Length; max++)
        {
            foreach (var cut in new[] { TextCut.Cut(text, max), TextCut.Fit(text, max), TextCut.CutStart(text, max) })
            {
                Assert.True(System.Text.Unicode.Utf8.FromUtf16(cut, new byte[cut.Length * 3], out _, out _, replaceInvalidSequences: false)
                    == System.Buffers.OperationStatus.Done, $"max {max}: {cut}");
            }
        }
    }
}
