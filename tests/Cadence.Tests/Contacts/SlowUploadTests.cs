using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Cadence.Contacts;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Contacts;

/// <summary>A client uploading slowly holds only its own upload: never the server's import slots.</summary>
public sealed class SlowUploadTests
{
    [Fact]
    public async Task TwoSlowUploadsDoNotStopAnotherTeamsImport()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);
        await c.App.AddTeamAsync("OT", "Other team");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        stop.CancelAfter(TimeSpan.FromSeconds(60));

        // Two uploads of team SS at 300 bytes a second (above Kestrel's minimum rate): each would take minutes.
        var slow = Enumerable.Range(0, ImportGate.Concurrent).Select(_ => SlowUploadAsync(c, stop.Token)).ToList();
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);

        var watch = Stopwatch.StartNew();
        var response = await c.Client.PostAsync("/v2/contacts/OT/import",
            new StringContent("{\"contacts\":[{\"uniqueCampusId\":\"P1\",\"firstName\":\"Ada\",\"lastName\":\"L\",\"mobileNumber\":\"7165550101\"}]}", Encoding.UTF8, "application/json"),
            stop.Token);
        watch.Stop();
        // A third upload from the same team is told at once that its team has two under way.
        var third = await c.Client.PostAsync("/v2/contacts/SS/import", new StringContent("{\"contacts\":[]}", Encoding.UTF8, "application/json"), stop.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"the other team's import took {watch.Elapsed}");
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Contains("imports_busy", await third.Content.ReadAsStringAsync(stop.Token));
        Assert.All(slow, s => Assert.False(s.IsCompleted, "a slow upload ended early"));
        await stop.CancelAsync();
        await Task.WhenAll(slow.Select(s => s.ContinueWith(_ => { }, TaskScheduler.Default)));
    }

    /// <summary>A real socket sending a 100 KB body 30 bytes every 100 ms until cancelled.</summary>
    static async Task SlowUploadAsync(ContactsApp c, CancellationToken cancellationToken)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(c.App.Address.Host, c.App.Address.Port, cancellationToken);
        var stream = socket.GetStream();
        var head = $"POST /v2/contacts/SS/import HTTP/1.1\r\nHost: {c.App.Address.Authority}\r\nAuthorization: {c.Client.DefaultRequestHeaders.Authorization}\r\n" +
                   "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"contacts\":[";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken);
        var drip = Encoding.ASCII.GetBytes("                              ");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!cancellationToken.IsCancellationRequested && DateTime.UtcNow < deadline)
        {
            await stream.WriteAsync(drip, cancellationToken);
            await Task.Delay(100, cancellationToken);
        }
    }
}
