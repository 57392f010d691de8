using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Inbox;

/// <summary>An open /inbox/events stream, read as a page's EventSource reads it: counts the "change" events heard.</summary>
public sealed class LiveStream : IAsyncDisposable
{
    readonly HttpClient client;
    readonly CancellationTokenSource stop = new();
    readonly Task reading;
    int changes;

    LiveStream(HttpClient client, HttpResponseMessage response)
    {
        this.client = client;
        reading = ReadAsync(response);
    }

    public int Changes => Volatile.Read(ref changes);

    public static async Task<LiveStream> OpenAsync(CadenceApp app, string cookie, string path)
    {
        var client = app.Http();
        client.Timeout = Timeout.InfiniteTimeSpan;
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var stream = new LiveStream(client, response);
        return stream;
    }

    async Task ReadAsync(HttpResponseMessage response)
    {
        try
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                if (line == "event: change")
                {
                    Interlocked.Increment(ref changes);
                }
            }
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            response.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await reading;
        client.Dispose();
        stop.Dispose();
    }
}
