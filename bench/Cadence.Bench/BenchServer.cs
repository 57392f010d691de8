using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

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

    /// <summary>The server's process id (`dotnet exec` runs the app in its own process), for reading /proc.</summary>
    public int Pid => process.Id;

    /// <summary>Runs after the server has stopped, e.g. to drop its throwaway PostgreSQL database.</summary>
    public Func<Task>? AfterExit { get; set; }

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
    public Task<string> CliAsync(params string[] args) => CliWithInputAsync(null, args);

    /// <summary>A management command that reads a line (a password) from standard input.</summary>
    public async Task<string> CliWithInputAsync(string? input, params string[] args)
    {
        string[] storage = Database is null ? ["--data", DataDirectory] : ["--data", DataDirectory, "--database", Database];
        var start = new ProcessStartInfo("dotnet", ["exec", Executable, .. args, .. storage])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
        };
        using var cli = Process.Start(start)!;
        if (input is not null)
        {
            await cli.StandardInput.WriteLineAsync(input);
            cli.StandardInput.Close();
        }
        var output = await cli.StandardOutput.ReadToEndAsync();
        await cli.WaitForExitAsync();
        return cli.ExitCode == 0 ? output : throw new InvalidOperationException(await cli.StandardError.ReadToEndAsync());
    }

    /// <summary>An HTTP client with a new credential of a high rate limit, for a benchmark's API calls.</summary>
    public async Task<HttpClient> ApiClientAsync()
    {
        var created = JsonDocument.Parse(await CliAsync("credentials", "create", "--name", "bench", "--rate-limit", "100000", "--json")).RootElement;
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(
            Encoding.UTF8.GetBytes($"{created.GetProperty("key").GetString()}:{created.GetProperty("secret").GetString()}")));
        return client;
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
        if (AfterExit is not null)
        {
            await AfterExit();
        }
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
