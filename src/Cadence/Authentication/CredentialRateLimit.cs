using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;

namespace Cadence.Authentication;

/// <summary>
/// Each credential may make its rate limit's worth of requests per second (a token bucket, so short bursts
/// pass). Answers carry RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset; a refusal is a 429 with Retry-After.
/// </summary>
public sealed class CredentialRateLimit : IEndpointFilter, IDisposable
{
    readonly ConcurrentDictionary<(Guid, int), TokenBucketRateLimiter> buckets = new();

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var caller = http.ApiCaller();
        var bucket = buckets.GetOrAdd((caller.CredentialId, caller.RateLimit), static key => new TokenBucketRateLimiter(new()
        {
            TokenLimit = key.Item2,
            TokensPerPeriod = key.Item2,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
        using var lease = bucket.AttemptAcquire();
        var headers = http.Response.Headers;
        headers["RateLimit-Limit"] = caller.RateLimit.ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Remaining"] = (bucket.GetStatistics()?.CurrentAvailablePermits ?? 0).ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Reset"] = "1";
        if (!lease.IsAcquired)
        {
            headers.RetryAfter = "1";
            return Problems.Result(StatusCodes.Status429TooManyRequests, "Rate limit exceeded",
                $"This credential may make {caller.RateLimit} requests per second. Slow down and retry after the time in Retry-After.",
                "rate_limited");
        }
        return await next(context);
    }

    public void Dispose()
    {
        foreach (var bucket in buckets.Values)
        {
            bucket.Dispose();
        }
    }
}
