using System.Net;
using System.Net.Sockets;

namespace Cadence.Tests.Infrastructure;

public sealed class CadenceAppTests
{
    [Fact]
    public async Task AnInProcessServerStartsWhileTheDefaultPortIsTaken()
    {
        // CI once failed three tests at once: every in-process start checked localhost:5080 (the default address)
        // as free, and parallel starts held it for a moment each.
        using var holder = new TcpListener(IPAddress.Loopback, 5080);
        try
        {
            holder.Start();
        }
        catch (SocketException)
        {
            Assert.Skip("something on this machine already listens on 127.0.0.1:5080; the test needs to hold it");
        }

        await using var app = await CadenceApp.StartAsync(Store.Sqlite);

        Assert.Equal(HttpStatusCode.OK, (await app.Http().GetAsync("/healthz", TestContext.Current.CancellationToken)).StatusCode);
    }
}
