using System.Net;
using System.Text.Json;

namespace Cadence.Tests.Infrastructure;

public static class ProblemAssert
{
    /// <summary>Asserts the status and an RFC 9457 body, and returns the body for further checks.</summary>
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? code = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("title").GetString()));
        if (code is not null)
        {
            Assert.Equal(code, body.GetProperty("code").GetString());
        }
        return body;
    }
}
