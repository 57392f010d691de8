using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Cadence.Tests.Infrastructure;

/// <summary>
/// A real SMTP server on a loopback port (the SmtpServer package): it keeps every message it accepts, parsed by MimeKit,
/// and can refuse the next few with a reply of the test's choosing. Stop and start it again on the same port to play
/// a relay that is down for a while.
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    readonly Store store = new();
    SmtpServer.SmtpServer? server;
    CancellationTokenSource? stop;
    Task? running;

    public int Port { get; }

    public IReadOnlyList<MimeMessage> Received => [.. store.Received];

    /// <summary>Refuses the next <paramref name="count"/> messages with this reply (451 "try again later" by default).</summary>
    public void Refuse(int count, int code = 451, string text = "try again later")
    {
        store.Refusal = new SmtpResponse((SmtpReplyCode)code, text);
        Volatile.Write(ref store.RefuseNext, count);
    }

    public int Refused => store.RefusedCount;

    TestSmtpServer(int port) => Port = port;

    /// <summary>A port that nothing listens on yet: a relay that is down until <see cref="StartAsync()"/>.</summary>
    public static TestSmtpServer Reserve()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return new TestSmtpServer(((IPEndPoint)probe.LocalEndpoint).Port);
    }

    public static async Task<TestSmtpServer> StartNewAsync()
    {
        var smtp = Reserve();
        await smtp.StartAsync();
        return smtp;
    }

    public async Task StartAsync()
    {
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).IsSecure(false)).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(store);
        server = new SmtpServer.SmtpServer(options, services);
        stop = new CancellationTokenSource();
        running = server.StartAsync(stop.Token);
        // Listening once a connection is taken; bounded.
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(10)), "the test SMTP server did not start");
    }

    public async Task StopAsync()
    {
        if (server is null)
        {
            return;
        }
        server.Shutdown();
        await stop!.CancelAsync();
        try
        {
            await running!.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }
        server = null;
    }

    /// <summary>Settings for a Cadence server that sends through this relay.</summary>
    public Dictionary<string, string?> Settings(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Cadence:Smtp:Host"] = "127.0.0.1",
            ["Cadence:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cadence:Smtp:Security"] = "None",
            ["Cadence:Smtp:From"] = "Cadence <cadence@college.edu>",
            ["Cadence:Smtp:PollInterval"] = "00:00:00.050",
            ["Cadence:Smtp:Timeout"] = "00:00:05",
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }
        return settings;
    }

    /// <summary>Waits until this many messages arrived (and then a moment for any extra), bounded.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(int count, TimeSpan? within = null)
    {
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(store.Received.Count >= count), within ?? TimeSpan.FromSeconds(15)),
            $"{store.Received.Count} of {count} emails arrived");
        return Received;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    sealed class Store : MessageStore
    {
        public ConcurrentQueue<MimeMessage> Received { get; } = new();
        public int RefuseNext;
        public SmtpResponse Refusal = new((SmtpReplyCode)451, "try again later");
        public int RefusedCount;

        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            if (Interlocked.Decrement(ref RefuseNext) >= 0)
            {
                Interlocked.Increment(ref RefusedCount);
                return Task.FromResult(Refusal);
            }
            Interlocked.Exchange(ref RefuseNext, 0);
            using var stream = new MemoryStream(buffer.ToArray());
            Received.Enqueue(MimeMessage.Load(stream, cancellationToken));
            return Task.FromResult(SmtpResponse.Ok);
        }
    }
}
