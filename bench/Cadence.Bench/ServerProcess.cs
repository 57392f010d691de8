using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cadence.Bench;

/// <summary>The real `cadence` executable (built in this configuration beside the benchmark), on loopback, with a fresh data directory.</summary>
sealed class ServerProcess : IAsyncDisposable
{
    public string DataDirectory { get; }
    public Uri Address { get; }
    readonly Process process;

    ServerProcess(string dataDirectory, Uri address, Process process)
    {
        DataDirectory = dataDirectory;
        Address = address;
        this.process = process;
    }

    static string Executable => Path.Combine(AppContext.BaseDirectory, "cadence.dll");

    public string? Database { get; private init; }

    public static async Task<ServerProcess> StartAsync(string? database = null, params string[] settings)
    {
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var data = Path.Combine(Path.GetTempPath(), "cadence-bench", Guid.NewGuid().ToString("N"));
        string[] storage = database is null ? ["--data", data] : ["--data", data, "--database", database, "--Cadence:MigrateOnStart=true"];
        var start = new ProcessStartInfo("dotnet", ["exec", Executable, "serve", "--urls", address.ToString(), .. storage,
            "--Logging:LogLevel:Default=Warning", .. settings])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        var server = new ServerProcess(data, address, process) { Database = database };
        using var client = new HttpClient { BaseAddress = address };
        for (var i = 0; i < 200; i++)
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
        throw new InvalidOperationException("The server did not start: " + await process.StandardError.ReadToEndAsync());
    }

    /// <summary>Runs a management command against the server's data directory and returns its output.</summary>
    public async Task<string> CliAsync(params string[] args)
    {
        string[] storage = Database is null ? ["--data", DataDirectory] : ["--data", DataDirectory, "--database", Database];
        var start = new ProcessStartInfo("dotnet", ["exec", Executable, .. args, .. storage])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var cli = Process.Start(start)!;
        var output = await cli.StandardOutput.ReadToEndAsync();
        await cli.WaitForExitAsync();
        return cli.ExitCode == 0 ? output : throw new InvalidOperationException(await cli.StandardError.ReadToEndAsync());
    }

    /// <summary>CPU time the server has used so far (all threads, user and system).</summary>
    public TimeSpan CpuTime()
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    public long WorkingSetBytes()
    {
        process.Refresh();
        return process.WorkingSet64;
    }

    public async ValueTask DisposeAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
