using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Cadence.Tests.Infrastructure;

/// <summary>
/// A stand-in for Twilio's REST API on loopback, over real HTTP: it accepts POST
/// /2010-04-01/Accounts/{AccountSid}/Messages.json as Twilio does and remembers every request.
/// </summary>
public sealed class FakeTwilio : IAsyncDisposable
{
    readonly WebApplication app;
    int refuseNext;

    public ConcurrentQueue<(string AccountSid, string? Authorization, Dictionary<string, string> Form)> Requests { get; } = new();

    /// <summary>How long the carrier takes to answer, so that a test can stop a server mid-send.</summary>
    public TimeSpan Latency { get; init; }

    public string Url => app.Urls.First();

    FakeTwilio(WebApplication app) => this.app = app;

    public static async Task<FakeTwilio> StartAsync(TimeSpan latency = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var fake = new FakeTwilio(builder.Build()) { Latency = latency };
        fake.app.MapPost("/2010-04-01/Accounts/{sid}/Messages.json", fake.ReceiveAsync);
        await fake.app.StartAsync();
        return fake;
    }

    /// <summary>The next text is refused as Twilio refuses a bad number (400, code 21211).</summary>
    public void RefuseNext() => Interlocked.Exchange(ref refuseNext, 1);

    /// <summary>How many texts each phone number received.</summary>
    public Dictionary<string, int> TextsPerNumber() => Requests.GroupBy(r => r.Form["To"]).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>The Cadence settings that send through this fake.</summary>
    public Dictionary<string, string?> Settings(string accountSid = "AC1", string authToken = "token") => new()
    {
        ["Cadence:SmsProvider"] = "twilio",
        ["Cadence:Twilio:AccountSid"] = accountSid,
        ["Cadence:Twilio:AuthToken"] = authToken,
        ["Cadence:Twilio:From"] = "(716) 555-0000",
        ["Cadence:Twilio:PublicUrl"] = "https://sms.college.example",
        ["Cadence:Twilio:BaseUrl"] = Url,
    };

    /// <summary>The same settings as command-line arguments for the real executable.</summary>
    public string[] Arguments(string accountSid = "AC1") => [.. Settings(accountSid).Select(s => $"--{s.Key}={s.Value}")];

    async Task<IResult> ReceiveAsync(string sid, HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        Requests.Enqueue((sid, http.Request.Headers.Authorization.ToString(), form.ToDictionary(f => f.Key, f => f.Value.ToString())));
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency);
        }
        if (Interlocked.Exchange(ref refuseNext, 0) == 1)
        {
            return Results.Json(new { code = 21211, message = "The 'To' number is not a valid phone number.", status = 400 }, statusCode: 400);
        }
        return Results.Json(new { sid = "SM" + Guid.NewGuid().ToString("N"), status = "queued" }, statusCode: 201);
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
