using System.Net;
using Cadence.Authentication;
using Microsoft.Extensions.Time.Testing;

namespace Cadence.Tests.Authentication;

/// <summary>The API's failure throttle counts an IPv6 client by its /64, which it could otherwise rotate through.</summary>
public sealed class FailureThrottleTests
{
    readonly FailureThrottle throttle = new(Microsoft.Extensions.Options.Options.Create(new ApiKeyLimits { AuthFailureLimit = 3, AuthFailureWindow = TimeSpan.FromMinutes(1) }),
        new FakeTimeProvider(new DateTimeOffset(2026, 9, 1, 12, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void AddressesOfOneIpv6Slash64ShareOneCount()
    {
        throttle.RecordFailure(IPAddress.Parse("2001:db8:1:2::1"));
        throttle.RecordFailure(IPAddress.Parse("2001:db8:1:2::2"));
        throttle.RecordFailure(IPAddress.Parse("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));

        Assert.NotNull(throttle.RetryAfter(IPAddress.Parse("2001:db8:1:2:ffff:ffff:ffff:ffff")));
        Assert.Null(throttle.RetryAfter(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Null(throttle.RetryAfter(IPAddress.Parse("203.0.113.7")));
    }

    [Fact]
    public void IPv4AddressesCountOneByOneAndTheirMappedFormIsTheSame()
    {
        throttle.RecordFailure(IPAddress.Parse("203.0.113.7"));
        throttle.RecordFailure(IPAddress.Parse("::ffff:203.0.113.7"));
        throttle.RecordFailure(IPAddress.Parse("203.0.113.7"));

        Assert.NotNull(throttle.RetryAfter(IPAddress.Parse("::ffff:203.0.113.7")));
        Assert.Null(throttle.RetryAfter(IPAddress.Parse("203.0.113.8")));
        Assert.Null(throttle.RetryAfter(IPAddress.Parse("::1")));
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:10.1.2.3", "10.1.2.3")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("::1", "::/64")]
    public void AClientIsDescribedByItsCountingUnit(string address, string described) =>
        Assert.Equal(described, ClientAddress.Describe(IPAddress.Parse(address)));
}

public sealed class FailureThrottleCapacityTests
{
    readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 9, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void PastItsCapacityNewAddressesShareOneWindowAndFailClosedWhileKnownOnesKeepTheirOwn()
    {
        var throttle = new FailureThrottle(new ApiKeyLimits { AuthFailureLimit = 3, AuthFailureWindow = TimeSpan.FromMinutes(1) }, time, capacity: 2);
        throttle.RecordFailure(IPAddress.Parse("203.0.113.1"));
        throttle.RecordFailure(IPAddress.Parse("203.0.113.2"));

        // Three more addresses, one failure each: counted together, so together they reach the limit.
        foreach (var address in new[] { "198.51.100.1", "198.51.100.2", "2001:db8::1" })
        {
            throttle.RecordFailure(IPAddress.Parse(address));
        }

        Assert.NotNull(throttle.RetryAfter(IPAddress.Parse("198.51.100.99")));
        Assert.Null(throttle.RetryAfter(IPAddress.Parse("203.0.113.1")));

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(throttle.RetryAfter(IPAddress.Parse("198.51.100.99")));
        throttle.RecordFailure(IPAddress.Parse("198.51.100.99"));
        Assert.Null(throttle.RetryAfter(IPAddress.Parse("198.51.100.99")));
    }

    [Fact]
    public void OnceASweepLeavesRoomANewAddressIsNoLongerJudgedByTheOverflowWindow()
    {
        var throttle = new FailureThrottle(new ApiKeyLimits { AuthFailureLimit = 3, AuthFailureWindow = TimeSpan.FromMinutes(1) }, time, capacity: 2);
        throttle.RecordFailure(IPAddress.Parse("203.0.113.1"));
        throttle.RecordFailure(IPAddress.Parse("203.0.113.2"));
        time.Advance(TimeSpan.FromSeconds(30));
        foreach (var address in new[] { "198.51.100.1", "198.51.100.2", "198.51.100.3" })
        {
            throttle.RecordFailure(IPAddress.Parse(address));
        }
        Assert.NotNull(throttle.RetryAfter(IPAddress.Parse("198.51.100.99")));

        // The first two windows have ended (the table has room again) while the overflow window still runs.
        time.Advance(TimeSpan.FromSeconds(31));

        Assert.Null(throttle.RetryAfter(IPAddress.Parse("198.51.100.99")));
        throttle.RecordFailure(IPAddress.Parse("198.51.100.99"));
        Assert.Null(throttle.RetryAfter(IPAddress.Parse("198.51.100.98")));
    }
}
