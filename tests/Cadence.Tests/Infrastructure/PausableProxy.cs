using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Cadence.Tests.Infrastructure;

/// <summary>
/// A TCP relay on loopback in front of the shared PostgreSQL server, so that one test can take "its" database
/// away (every connection cut, new ones closed at once, as a stopped server looks to a client) without
/// touching the cluster that other tests use.
/// </summary>
public sealed class PausableProxy : IAsyncDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly IPEndPoint target;
    readonly ConcurrentDictionary<TcpClient, TcpClient> open = new();
    readonly CancellationTokenSource stop = new();
    volatile bool paused;

    PausableProxy(IPEndPoint target) => this.target = target;

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public static PausableProxy Start(string host, int port)
    {
        var proxy = new PausableProxy(new IPEndPoint(Dns.GetHostAddresses(host).First(a => a.AddressFamily == AddressFamily.InterNetwork), port));
        proxy.listener.Start();
        _ = proxy.AcceptAsync();
        return proxy;
    }

    /// <summary>The database goes away: open connections are cut and new ones are closed as soon as they arrive.</summary>
    public void Pause()
    {
        paused = true;
        foreach (var (client, server) in open)
        {
            Close(client, server);
        }
    }

    public void Resume() => paused = false;

    async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            if (paused)
            {
                client.Client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                continue;
            }
            _ = RelayAsync(client);
        }
    }

    async Task RelayAsync(TcpClient client)
    {
        var server = new TcpClient();
        try
        {
            await server.ConnectAsync(target, stop.Token);
            open[client] = server;
            await Task.WhenAny(
                client.GetStream().CopyToAsync(server.GetStream(), stop.Token),
                server.GetStream().CopyToAsync(client.GetStream(), stop.Token));
        }
        catch (Exception)
        {
            // A cut connection ends its relay.
        }
        finally
        {
            Close(client, server);
        }
    }

    void Close(TcpClient client, TcpClient server)
    {
        open.TryRemove(client, out _);
        try
        {
            client.Client.LingerState = new LingerOption(true, 0);
        }
        catch (Exception)
        {
            // already closed
        }
        client.Dispose();
        server.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        stop.Cancel();
        listener.Stop();
        Pause();
        return ValueTask.CompletedTask;
    }
}
