using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Cadence.Testing;

/// <summary>
/// The real `cadence` executable (the cadence.dll built beside the test or benchmark) in its own process on a free
/// loopback port, so that it can be killed without warning, sent SIGTERM, limited in memory or measured from outside.
/// The tests start it on a <c>TestDatabase</c>, the benchmark on a fresh data directory (their own <c>StartAsync</c>).
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    public required Uri Address { get; init; }
    public required Process Process { get; init; }
    public required string DataDirectory { get; init; }

    /// <summary>The PostgreSQL connection string, or null for SQLite in <see cref="DataDirectory"/>.</summary>
    public string? Database { get; init; }

    /// <summary>The data directory goes when the server is disposed (the benchmark's throwaway ones).</summary>
    public bool DeleteDataDirectory { get; init; }

    /// <summary>Runs after the server has stopped, e.g. to drop its throwaway PostgreSQL database.</summary>
    public Func<Task>? AfterExit { get; set; }

    /// <summary>The server's process id (`dotnet exec` runs the app in its own process), for reading /proc.</summary>
    public int Pid => Process.Id;

    /// <summary>The global options that point a `cadence` command at this server's storage.</summary>
    public string[] StorageArgs => Database is null ? ["--data", DataDirectory] : ["--data", DataDirectory, "--database", Database];

    /// <summary>Starts the server and waits, bounded, until it answers /readyz.</summary>
    /// <param name="environment">Extra environment variables, e.g. a heap limit: DOTNET_GCHeapHardLimit=0x10000000.</param>
    /// <remarks>
    /// The port is one the system had free a moment before; another test's server can take it first (CI saw the start
    /// refused so once), so a start refused for an address in use is tried again on another port, at most three times.
    /// </remarks>
    public static async Task<ServerProcess> LaunchAsync(string dataDirectory, string? database, bool deleteDataDirectory,
        IReadOnlyDictionary<string, string> environment, IEnumerable<string> settings)
    {
        for (var attempt = 1; ; attempt++)
        {
            var server = Start(dataDirectory, database, deleteDataDirectory, environment, settings);
            if (await server.ReadyAsync())
            {
                return server;
            }
            var output = server.Output;
            if (attempt < 3 && output.Contains("address is already in use", StringComparison.Ordinal))
            {
                server.Kill(); // not DisposeAsync: the data directory is the next try's
                server.Process.Dispose();
                continue;
            }
            await server.DisposeAsync();
            throw new InvalidOperationException("The server did not start: " + output);
        }
    }

    static ServerProcess Start(string dataDirectory, string? database, bool deleteDataDirectory,
        IReadOnlyDictionary<string, string> environment, IEnumerable<string> settings)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        string[] storage = database is null ? ["--data", dataDirectory] : ["--data", dataDirectory, "--database", database];
        var start = new ProcessStartInfo("dotnet", ["exec", CadenceProcess.Executable, "serve", "--urls", address.ToString(), .. storage,
            "--Logging:LogLevel:Default=Warning", .. settings])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start)!;
        var server = new ServerProcess { Address = address, Process = process, DataDirectory = dataDirectory, Database = database, DeleteDataDirectory = deleteDataDirectory };
        // Drained as they come: a full pipe would block the server on its next log line.
        process.OutputDataReceived += (_, e) => server.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => server.Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Waits, bounded (30 s), until the server answers /readyz; false when it exits or never answers.</summary>
    async Task<bool> ReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = Address };
        for (var i = 0; i < 300 && !Process.HasExited; i++)
        {
            try
            {
                if ((await client.GetAsync("/readyz")).IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        if (Process.HasExited)
        {
            await Process.WaitForExitAsync(); // its last lines read
        }
        return false;
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

    /// <summary>Runs a management command in its own process against the server's storage and returns its output.</summary>
    public Task<string> CliAsync(params string[] args) => CliWithInputAsync(null, args);

    /// <summary>A management command that reads a line (a password) from standard input.</summary>
    public async Task<string> CliWithInputAsync(string? input, params string[] args)
    {
        // Bounded generously: a command waits its turn for the database like any writer.
        var run = await CadenceProcess.RunAsync([.. args, .. StorageArgs], timeout: TimeSpan.FromMinutes(5), input: input);
        return run.ExitCode == 0 ? run.Out : throw new InvalidOperationException(run.Error);
    }

    /// <summary>Sends SIGTERM (what systemd and `docker stop` send) and waits, bounded, for the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan within)
    {
        using (var kill = Process.Start("kill", ["-TERM", Process.Id.ToString(CultureInfo.InvariantCulture)]))
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

    /// <summary>CPU time the server has used so far (all threads, user and system).</summary>
    public TimeSpan CpuTime()
    {
        Process.Refresh();
        return Process.TotalProcessorTime;
    }

    public long WorkingSetBytes()
    {
        Process.Refresh();
        return Process.WorkingSet64;
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        Process.Dispose();
        if (AfterExit is not null)
        {
            await AfterExit();
        }
        if (DeleteDataDirectory)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still open elsewhere; the temp directory is cleaned eventually.
            }
        }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
