using System.Net;
using Cadence.Console;
using Microsoft.Extensions.Time.Testing;

namespace Cadence.Tests.Console;

/// <summary>The sign-in throttle's memory: bounded by length, by time and by count.</summary>
public sealed class LoginThrottleTests
{
    readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 9, 1, 12, 0, 0, TimeSpan.Zero));
    int checks;

    Task<object?> WrongPassword()
    {
        checks++;
        return Task.FromResult<object?>(null);
    }

    Task<object?> RightPassword()
    {
        checks++;
        return Task.FromResult<object?>(new object());
    }

    [Fact]
    public async Task ATooLongEmailIsAWrongTryThatIsNeverKeptNorChecked()
    {
        var throttle = new LoginThrottle(time);

        var (result, wait) = await throttle.GuardAsync(new string('a', 4 * 1024 * 1024), null, WrongPassword);

        Assert.Null(result);
        Assert.Equal(TimeSpan.Zero, wait);
        Assert.Equal(0, checks);
        Assert.Equal(0, throttle.Tracked);
    }

    [Fact]
    public async Task TriesRacingOnManyThreadsNeverRunMoreChecksThanTheFreeOnes()
    {
        var throttle = new LoginThrottle(time);
        var ran = 0;
        using var start = new Barrier(16);
        async Task<object?> SlowWrongPassword()
        {
            Interlocked.Increment(ref ran);
            await Task.Delay(20, TestContext.Current.CancellationToken);
            return null;
        }

        for (var round = 0; round < 50; round++)
        {
            ran = 0;
            var email = $"round{round}@college.edu";
            // A thread each, so the barrier does not wait on the thread pool to grow.
            var tries = Enumerable.Range(0, 16).Select(_ => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait(TestContext.Current.CancellationToken);
                return throttle.GuardAsync(email, null, SlowWrongPassword);
            }, TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()).ToArray();
            await Task.WhenAll(tries);

            Assert.True(ran == LoginThrottle.FreeFailuresPerEmail, $"round {round}: {ran} checks ran, not the {LoginThrottle.FreeFailuresPerEmail} free ones");
        }
    }

    [Fact]
    public async Task EntriesExpireWithTheirWindow()
    {
        var throttle = new LoginThrottle(time);
        for (var i = 0; i < 10; i++)
        {
            await throttle.GuardAsync($"user{i}@college.edu", IPAddress.Parse("203.0.113.7"), WrongPassword);
        }
        Assert.Equal(11, throttle.Tracked);

        time.Advance(TimeSpan.FromMinutes(16));
        await throttle.GuardAsync("late@college.edu", null, WrongPassword);

        Assert.Equal(1, throttle.Tracked);
    }

    [Fact]
    public async Task PastTheCapANewEmailIsThrottledWhileAKnownOneStillWorks()
    {
        var throttle = new LoginThrottle(time, capacity: 3);
        foreach (var email in new[] { "a@college.edu", "b@college.edu", "c@college.edu" })
        {
            await throttle.GuardAsync(email, null, WrongPassword);
        }

        var (_, newWait) = await throttle.GuardAsync("d@college.edu", null, RightPassword);
        Assert.True(newWait > TimeSpan.Zero);
        Assert.Equal(3, checks);
        Assert.Equal(3, throttle.Tracked);

        var (known, knownWait) = await throttle.GuardAsync("a@college.edu", null, RightPassword);
        Assert.NotNull(known);
        Assert.Equal(TimeSpan.Zero, knownWait);

        // Once the old entries' window has passed they go, and new emails are let in again.
        time.Advance(TimeSpan.FromMinutes(16));
        var (later, _) = await throttle.GuardAsync("d@college.edu", null, RightPassword);
        Assert.NotNull(later);
    }

    [Fact]
    public async Task PastTheCapANewAddressIsThrottled()
    {
        var throttle = new LoginThrottle(time, capacity: 4);
        await throttle.GuardAsync("a@college.edu", IPAddress.Parse("203.0.113.1"), WrongPassword);
        await throttle.GuardAsync("b@college.edu", IPAddress.Parse("203.0.113.2"), WrongPassword);

        var (_, wait) = await throttle.GuardAsync("a@college.edu", IPAddress.Parse("203.0.113.3"), RightPassword);

        Assert.True(wait > TimeSpan.Zero);
        Assert.Equal(2, checks);
    }

    [Fact]
    public async Task AddressesOfOneIpv6Slash64ShareOneCount()
    {
        var throttle = new LoginThrottle(time);
        for (var i = 1; i <= LoginThrottle.FreeFailuresPerAddress; i++)
        {
            await throttle.GuardAsync($"user{i}@college.edu", IPAddress.Parse($"2001:db8:1:2::{i:x}"), WrongPassword);
        }

        var (_, sameSlash64) = await throttle.GuardAsync("other@college.edu", IPAddress.Parse("2001:db8:1:2:ffff:ffff:ffff:ffff"), WrongPassword);
        var (_, nextSlash64) = await throttle.GuardAsync("other@college.edu", IPAddress.Parse("2001:db8:1:3::1"), WrongPassword);

        Assert.True(sameSlash64 > TimeSpan.Zero);
        Assert.Equal(TimeSpan.Zero, nextSlash64);
    }
}
