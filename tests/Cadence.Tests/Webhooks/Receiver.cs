using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

namespace Cadence.Tests.Webhooks;

public sealed record ReceivedRequest(int Index, string Path, IHeaderDictionary Headers, string Body);

/// <summary>
/// A campus system's webhook receiver: a real Kestrel server on 127.0.0.1 that keeps every request and answers as the
/// test says (by default 200).
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    readonly WebApplication app;
    int count;
    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>Decides the answer: a status code, written after the request is kept.</summary>
    public Func<ReceivedRequest, HttpContext, Task<int>> Respond { get; set; } = (_, _) => Task.FromResult(200);

    Receiver(WebApplication app) => this.app = app;

    public static async Task<Receiver> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var receiver = new Receiver(app);
        app.Map("/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            // A copy: the server reuses a request's header collection once it is answered.
            var headers = new HeaderDictionary();
            foreach (var (name, value) in context.Request.Headers)
            {
                headers[name] = value;
            }
            var request = new ReceivedRequest(Interlocked.Increment(ref receiver.count), context.Request.Path, headers, body);
            receiver.Requests.Enqueue(request);
            var status = await receiver.Respond(request, context);
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = status;
            }
        });
        await app.StartAsync();
        return receiver;
    }

    public Uri Address => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public string Url(string path = "/hooks") => new Uri(Address, path).AbsoluteUri;

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await app.StopAsync(stop.Token);
        await app.DisposeAsync();
    }

    /// <summary>A loopback port with nothing listening on it (for a receiver that is down).</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
