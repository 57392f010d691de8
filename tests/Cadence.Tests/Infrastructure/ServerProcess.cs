using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cadence.Tests.Infrastructure;

/// <summary>The real executable in its own process, so that it can be killed without warning.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    public required Uri Address { get; init; }
    public required Process Process { get; init; }

    public static Task<ServerProcess> StartAsync(TestDatabase database, params string[] settings) =>
        StartAsync(database, new Dictionary<string, string>(), settings);

    /// <summary>Starts the server with extra environment variables (a heap limit: DOTNET_GCHeapHardLimit=0x10000000).</summary>
    public static async Task<ServerProcess> StartAsync(TestDatabase database, IReadOnlyDictionary<string, string> environment, params string[] settings)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var address = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet", ["exec", Path.Combine(AppContext.BaseDirectory, "cadence.dll"), "serve", "--urls", address.ToString(), .. database.CliArgs, "--Logging:LogLevel:Default=Warning", .. settings])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start)!;
        var server = new ServerProcess { Address = address, Process = process };
        // Drained as they come: a full pipe would block the server on its next log line.
        process.OutputDataReceived += (_, e) => server.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => server.Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var client = new HttpClient { BaseAddress = address };
        for (var i = 0; i < 300; i++)
        {
            try
            {
                if ((await client.GetAsync("/readyz")).IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        server.Kill();
        throw new InvalidOperationException("The server did not start: " + server.Output);
    }

    readonly ConcurrentQueue<string> lines = new();

    /// <summary>The last lines the server wrote.</summary>
    public string Output => string.Join('\n', lines);

    void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }
        lines.Enqueue(line);
        while (lines.Count > 200 && lines.TryDequeue(out _))
        {
        }
    }

    /// <summary>Sends SIGTERM (what systemd and `docker stop` send) and waits, bounded, for the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan within)
    {
        using (var kill = Process.Start("kill", ["-TERM", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await Process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"The server did not stop within {within} of SIGTERM: " + Output);
        }
        return Process.ExitCode;
    }

    public void Kill()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        Process.Dispose();
        return ValueTask.CompletedTask;
    }
}
