using Microsoft.Extensions.Options;

namespace Cadence.Messages;

// Kept over System.Threading.RateLimiting's FixedWindowRateLimiter (issue #12): the worker asks how many of a
// chunk may go and sends that many (a partial grant; the library grants all or none), the window is the clock's
// second from the TimeProvider the tests stand still and advance (the library reads Stopwatch and a timer), and
// this is 20 lines with one lock taken once per chunk.
/// <summary>
/// At most <see cref="MessagesOptions.SendRatePerNumber"/> texts a second from the sending number (0: no
/// limit), per node. Carriers throttle a long code far below what a bulk send asks for; a Twilio Messaging
/// Service spreads the load over its own pool instead.
/// </summary>
public sealed class SendThrottle(IOptions<MessagesOptions> options, TimeProvider time)
{
    readonly int perSecond = options.Value.SendRatePerNumber;
    readonly Lock gate = new();
    long window;
    int used;

    /// <summary>How many of <paramref name="wanted"/> texts may go now.</summary>
    public int Take(int wanted)
    {
        if (perSecond <= 0)
        {
            return wanted;
        }
        lock (gate)
        {
            var second = time.GetUtcNow().ToUnixTimeSeconds();
            if (second != window)
            {
                window = second;
                used = 0;
            }
            var granted = Math.Min(wanted, perSecond - used);
            used += granted;
            return granted;
        }
    }
}
