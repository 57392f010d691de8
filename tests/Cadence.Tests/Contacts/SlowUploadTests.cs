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

        // Two uploads of team SS at 300 bytes a second, one per credential (each may have one under way): each would
        // take minutes, if the minimum rate did not end them after its grace.
        var credentials = new List<string>();
        while (credentials.Count < ImportGate.Concurrent)
        {
            using var other = c.App.Http(await c.App.CreateCredentialAsync($"Uploader {credentials.Count}"));
            credentials.Add(Authorization(other));
        }
        var slow = credentials.Select(a => SlowUploadAsync(c, a, stop.Token)).ToList();
        // Waited for until both are being received (the spool's own count: a probing upload would itself take one of
        // the team's places, and could turn a slow upload away).
        var spool = c.App.Services.GetRequiredService<ImportSpool>();
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(spool.Receiving == ImportGate.Concurrent), TimeSpan.FromSeconds(15)),
            $"the slow uploads were never both under way ({spool.Receiving} received)");
        // A third upload from the same team (by a credential with none under way) is told at once that its team has two.
        using var another = c.App.Http(await c.App.CreateCredentialAsync("Third uploader"));
        var thirdAnswer = await another.PostAsync("/v2/contacts/SS/import", new StringContent("{\"contacts\":[]}", Encoding.UTF8, "application/json"), stop.Token);
        var third = await thirdAnswer.Content.ReadAsStringAsync(stop.Token);
        Assert.Equal(HttpStatusCode.TooManyRequests, thirdAnswer.StatusCode);

        var watch = Stopwatch.StartNew();
        var response = await c.Client.PostAsync("/v2/contacts/OT/import",
            new StringContent("{\"contacts\":[{\"uniqueCampusId\":\"P1\",\"firstName\":\"Ada\",\"lastName\":\"L\",\"mobileNumber\":\"7165550101\"}]}", Encoding.UTF8, "application/json"),
            stop.Token);
        watch.Stop();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"the other team's import took {watch.Elapsed}");
        Assert.Contains("imports_busy", third);
        Assert.All(slow, s => Assert.False(s.IsCompleted, "a slow upload ended early"));
        await stop.CancelAsync();
        await Task.WhenAll(slow.Select(s => s.ContinueWith(_ => { }, TaskScheduler.Default)));
    }

    [Fact]
    public async Task ACredentialUploadsOneImportAtATime()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        stop.CancelAfter(TimeSpan.FromSeconds(60));
        using var other = c.App.Http(await c.App.CreateCredentialAsync("Another uploader"));
        using var uploader = c.App.Http(await c.App.CreateCredentialAsync("Uploader"));
        var slow = SlowUploadAsync(c, Authorization(uploader), stop.Token);
        var small = "{\"contacts\":[{\"uniqueCampusId\":\"P1\",\"firstName\":\"Ada\",\"lastName\":\"L\",\"mobileNumber\":\"7165550101\"}]}";
        // Waited for on the spool's own count: a probing upload of the same credential would itself hold its one place.
        var spool = c.App.Services.GetRequiredService<ImportSpool>();
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(spool.Receiving == 1), TimeSpan.FromSeconds(15)), "the slow upload never got under way");

        var second = await uploader.PostAsync("/v2/contacts/SS/import", new StringContent(small, Encoding.UTF8, "application/json"), stop.Token);
        var fromAnother = await other.PostAsync("/v2/contacts/SS/import", new StringContent(small, Encoding.UTF8, "application/json"), stop.Token);

        var problem = await ProblemAssert.IsProblemAsync(second, HttpStatusCode.TooManyRequests, "imports_busy");
        Assert.Contains("This credential already has an import being uploaded", problem.Str("detail"));
        Assert.Equal(HttpStatusCode.OK, fromAnother.StatusCode);
        Assert.False(slow.IsCompleted, "the slow upload ended early");
        await stop.CancelAsync();
        await slow.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [Fact]
    public async Task AnUploadSlowerThanTheMinimumRateIsStoppedAfterItsGraceAndFreesItsPlace()
    {
        await using var c = await ContactsApp.StartAsync(Store.Sqlite);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        stop.CancelAfter(TimeSpan.FromSeconds(60));
        var watch = Stopwatch.StartNew();

        var answer = await SlowUploadAsync(c, Authorization(c.Client), stop.Token);
        watch.Stop();

        Assert.StartsWith("HTTP/1.1 408", answer);
        Assert.Contains("upload_too_slow", answer);
        Assert.InRange(watch.Elapsed, ImportSpool.MinRateGrace, ImportSpool.MinRateGrace + TimeSpan.FromSeconds(20));
        var next = await c.Client.PostAsync("/v2/contacts/SS/import", new StringContent("{\"contacts\":[]}", Encoding.UTF8, "application/json"), stop.Token);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    static string Authorization(HttpClient client) => client.DefaultRequestHeaders.Authorization!.ToString();

    /// <summary>
    /// A real socket sending a 100 KB body 30 bytes every 100 ms until cancelled or answered; what the server
    /// answered, if it did (empty when the connection closed without an answer).
    /// </summary>
    static async Task<string> SlowUploadAsync(ContactsApp c, string authorization, CancellationToken cancellationToken)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(c.App.Address.Host, c.App.Address.Port, cancellationToken);
        var stream = socket.GetStream();
        var head = $"POST /v2/contacts/SS/import HTTP/1.1\r\nHost: {c.App.Address.Authority}\r\nAuthorization: {authorization}\r\n" +
                   "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"contacts\":[";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken);
        var drip = Encoding.ASCII.GetBytes("                              ");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var buffer = new byte[4096];
        var answer = new StringBuilder();
        var reading = stream.ReadAsync(buffer, cancellationToken).AsTask();
        while (!cancellationToken.IsCancellationRequested && DateTime.UtcNow < deadline && !reading.IsCompleted)
        {
            try
            {
                await stream.WriteAsync(drip, cancellationToken);
            }
            catch (IOException)
            {
                break; // the server closed the connection
            }
            await Task.WhenAny(reading, Task.Delay(100, cancellationToken));
        }
        // The answer, read until the server closes (bounded by the deadline).
        while (DateTime.UtcNow < deadline)
        {
            int read;
            try
            {
                read = await reading.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            }
            catch (Exception e) when (e is IOException or TimeoutException)
            {
                break;
            }
            if (read == 0)
            {
                break;
            }
            answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
            reading = stream.ReadAsync(buffer, cancellationToken).AsTask();
        }
        return answer.ToString();
    }
}
