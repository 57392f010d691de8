using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Cadence.Testing;

/// <summary>
/// The real `cadence` executable (the cadence.dll built beside the test or benchmark) in its own process on a free
/// loopback port, so that it can be killed without warning, sent SIGTERM, limited in memory or measured from outside.
/// The tests start it on a <c>TestDatabase</c>, the benchmark on a fresh data directory (their own <c>StartAsync</c>).
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    /// <summary>The address the server reported it listens on (set once it has).</summary>
    public Uri Address { get; private set; } = null!;
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
    /// The server listens on port 0, so the system picks its port as it binds, and <see cref="Address"/> is the one the
    /// server reports ("Now listening on: …"). A port picked here and passed in could be taken by another test's server
    /// first; CI saw that twice: once the start was refused, once the other server answered our /readyz and the test
    /// then talked to it until it stopped ("connection refused" in the middle of a test).
    /// </remarks>
    public static async Task<ServerProcess> LaunchAsync(string dataDirectory, string? database, bool deleteDataDirectory,
        IReadOnlyDictionary<string, string> environment, IEnumerable<string> settings)
    {
        string[] storage = database is null ? ["--data", dataDirectory] : ["--data", dataDirectory, "--database", database];
        var given = settings.ToArray();
        var start = new ProcessStartInfo("dotnet", ["exec", CadenceProcess.Executable, "serve", "--urls", "http://127.0.0.1:0", .. storage,
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information", .. given])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start)!;
        var server = new ServerProcess { Process = process, DataDirectory = dataDirectory, Database = database, DeleteDataDirectory = deleteDataDirectory };
        // Drained as they come: a full pipe would block the server on its next log line.
        process.OutputDataReceived += (_, e) => server.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => server.Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (await server.ReadyAsync(given))
        {
            return server;
        }
        var output = server.Output;
        await server.DisposeAsync();
        throw new InvalidOperationException("The server did not start: " + output);
    }

    /// <summary>
    /// Waits, bounded (30 s in all), for the address the server listens on (any other address it reports, such as
    /// --metrics-urls, is one of <paramref name="settings"/>), then until it answers /readyz; false when it exits or
    /// never answers.
    /// </summary>
    async Task<bool> ReadyAsync(string[] settings)
    {
        var deadline = Stopwatch.StartNew();
        Uri? address = null;
        while (address is null && !Process.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            address = listening.FirstOrDefault(a => !settings.Any(s => s.TrimEnd('/') == a.ToString().TrimEnd('/')));
            if (address is null)
            {
                await Task.Delay(50);
            }
        }
        if (address is not null)
        {
            Address = address;
            using var client = new HttpClient { BaseAddress = address };
            while (!Process.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(30))
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
        }
        if (Process.HasExited)
        {
            await Process.WaitForExitAsync(); // its last lines read
        }
        return false;
    }

    // Taken as the lines arrive: the output keeps only its last lines, and a server logging at Debug (EF Core's query
    // compiles) pushed the address out of them before it was looked for (a Contacts run, session 19).
    readonly ConcurrentQueue<Uri> listening = new();

    [GeneratedRegex(@"Now listening on: (http://[0-9.]+:[0-9]+)")]
    private static partial Regex ListeningLine();

    readonly ConcurrentQueue<string> lines = new();

    /// <summary>The last lines the server wrote.</summary>
    public string Output => string.Join('\n', lines);

    void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }
        if (listening.Count < 8 && ListeningLine().Match(line) is { Success: true } match)
        {
            listening.Enqueue(new Uri(match.Groups[1].Value));
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
}
