using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Cadence.Bench;

/// <summary>A closed-loop HTTP load bounded in time: wrk where it is installed (apt-get install wrk), else HttpClient.</summary>
abstract partial class Load(Uri address, int connections)
{
    protected Uri Address { get; } = address;
    protected int Connections { get; } = connections;

    public abstract string Name { get; }

    public abstract Task<(double RequestsPerSecond, long Failures)> RunAsync(string path, string? authorization, int seconds);

    public static Load Create(Uri address, int connections) =>
        File.Exists("/usr/bin/wrk") ? new Wrk(address, connections) : new DotnetLoad(address, connections);

    sealed partial class Wrk(Uri address, int connections) : Load(address, connections)
    {
        public override string Name => "wrk (1 thread)";

        public override async Task<(double, long)> RunAsync(string path, string? authorization, int seconds)
        {
            var arguments = new List<string> { "-t1", $"-c{Connections}", $"-d{seconds}s" };
            if (authorization is not null)
            {
                arguments.AddRange(["-H", "Authorization: " + authorization]);
            }
            arguments.Add(new Uri(Address, path).ToString());
            using var wrk = Process.Start(new ProcessStartInfo("wrk", arguments) { RedirectStandardOutput = true })!;
            var output = await wrk.StandardOutput.ReadToEndAsync();
            await wrk.WaitForExitAsync();
            var rate = double.Parse(RateLine().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
            var failures = FailureLine().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            return (rate, failures);
        }
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RateLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex FailureLine();

    sealed class DotnetLoad(Uri address, int connections) : Load(address, connections)
    {
        readonly HttpClient client = new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseCookies = false, UseProxy = false })
        {
            BaseAddress = address,
        };

        public override string Name => "HttpClient in the benchmark process";

        public override async Task<(double, long)> RunAsync(string path, string? authorization, int seconds)
        {
            long done = 0, failures = 0;
            var clock = Stopwatch.StartNew();
            var stop = TimeSpan.FromSeconds(seconds);
            var workers = Enumerable.Range(0, Connections).Select(_ => Task.Run(async () =>
            {
                while (clock.Elapsed < stop)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, path);
                    if (authorization is not null)
                    {
                        request.Headers.TryAddWithoutValidation("Authorization", authorization);
                    }
                    using var response = await client.SendAsync(request);
                    await response.Content.ReadAsByteArrayAsync();
                    Interlocked.Increment(ref response.IsSuccessStatusCode ? ref done : ref failures);
                }
            }));
            await Task.WhenAll(workers);
            return (done / clock.Elapsed.TotalSeconds, failures);
        }
    }
}
