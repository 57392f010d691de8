using System.Net;
using System.Net.Sockets;
using System.Text;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Docs;

/// <summary>HEAD, as `curl -I` and monitoring probes send it: the GET's status and headers, no body.</summary>
public sealed class HeadTests
{
    [Fact]
    public async Task HeadOnAClientApiCallAnswersAsGetWithAndWithoutACredential()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        await app.AddTeamAsync("SS", "Student Success");
        var credential = await app.CreateCredentialAsync();

        using var client = app.Http(credential);
        await AssertHeadAsGetAsync(client, "/v2/teams/SS", HttpStatusCode.OK);
        await AssertHeadAsGetAsync(client, "/v2/teams/NOPE", HttpStatusCode.NotFound);
        using var anonymous = app.Http();
        var refused = await AssertHeadAsGetAsync(anonymous, "/v2/teams/SS", HttpStatusCode.Unauthorized);
        Assert.NotEmpty(refused.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task HeadOnHealthTheDocumentTheReferenceAndConsolePagesAnswersAsGet()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.Address };

        await AssertHeadAsGetAsync(client, "/healthz", HttpStatusCode.OK);
        await AssertHeadAsGetAsync(client, "/readyz", HttpStatusCode.OK);
        await AssertHeadAsGetAsync(client, "/openapi/v2.json", HttpStatusCode.OK);
        await AssertHeadAsGetAsync(client, "/docs", HttpStatusCode.OK);
        await AssertHeadAsGetAsync(client, "/login", HttpStatusCode.OK);
        var redirect = await AssertHeadAsGetAsync(client, "/api", HttpStatusCode.Redirect);
        Assert.Contains("/login?returnUrl=%2Fapi", redirect.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task HeadPostOnlyCallsStayRefused()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        using var request = new HttpRequestMessage(HttpMethod.Head, "/v2/messages/CreateAndSend");
        using var response = await app.Http().SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    /// <summary>
    /// On the wire: a HEAD and then a GET on one connection. Had the HEAD's answer carried a body, its bytes
    /// would stand between the two status lines; the HEAD also keeps the GET's Content-Length.
    /// </summary>
    [Fact]
    public async Task HeadSendsNoBodyOnTheWireAndKeepsTheLength()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        var ct = TestContext.Current.CancellationToken;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(app.Address.Host, app.Address.Port, ct);
        var stream = tcp.GetStream();
        var host = $"{app.Address.Host}:{app.Address.Port}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"HEAD /docs HTTP/1.1\r\nHost: {host}\r\n\r\nGET /docs HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"), ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var wire = await reader.ReadToEndAsync(timeout.Token);

        var second = wire.IndexOf("HTTP/1.1 200", 1, StringComparison.Ordinal);
        Assert.True(second > 0, wire);
        var head = wire[..second];
        Assert.StartsWith("HTTP/1.1 200", head);
        Assert.EndsWith("\r\n\r\n", head);
        Assert.Equal(1, head.Split("\r\n\r\n").Length - 1);
        var get = wire[second..];
        var length = Header(get, "Content-Length");
        Assert.NotNull(length);
        Assert.Equal(length, Header(head, "Content-Length"));
        Assert.Equal(int.Parse(length), Encoding.UTF8.GetByteCount(get[(get.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]));
    }

    static string? Header(string response, string name) => response.Split("\r\n")
        .Where(line => line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
        .Select(line => line[(name.Length + 1)..].Trim()).FirstOrDefault();

    static async Task<HttpResponseMessage> AssertHeadAsGetAsync(HttpClient client, string path, HttpStatusCode status)
    {
        var ct = TestContext.Current.CancellationToken;
        using var get = await client.GetAsync(path, ct);
        using var request = new HttpRequestMessage(HttpMethod.Head, path);
        var head = await client.SendAsync(request, ct);
        Assert.Equal(status, get.StatusCode);
        Assert.True(status == head.StatusCode, $"HEAD {path}: {(int)head.StatusCode}, GET: {(int)get.StatusCode}");
        Assert.Equal(get.Content.Headers.ContentType?.ToString(), head.Content.Headers.ContentType?.ToString());
        foreach (var name in new[] { "Content-Security-Policy", "Cache-Control", "WWW-Authenticate", "X-Content-Type-Options", "RateLimit-Limit", "Allow" })
        {
            Assert.Equal(Values(get, name), Values(head, name));
        }
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(ct));
        return head;
    }

    static string Values(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : "";
}
