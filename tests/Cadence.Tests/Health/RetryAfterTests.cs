namespace Cadence.Tests.Health;

/// <summary>Every 429 and 503 writes Retry-After through <see cref="RetryAfter"/>; what a client reads must let it wait as told.</summary>
public sealed class RetryAfterTests
{
    [Theory]
    [InlineData(5_000, "5")]
    [InlineData(1_200, "2")]
    [InlineData(86_399_001, "86400")]
    public void RetryAfterIsWholeSecondsRoundedUp(long milliseconds, string expected) =>
        Assert.Equal(expected, RetryAfter.Seconds(TimeSpan.FromMilliseconds(milliseconds)));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-3_000)]
    public void RetryAfterIsAtLeastOneSecond(long milliseconds) =>
        Assert.Equal("1", RetryAfter.Seconds(TimeSpan.FromMilliseconds(milliseconds)));
}
