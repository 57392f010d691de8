using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cadence.Testing;

namespace Cadence.Bench;

/// <summary>The shared <see cref="ServerProcess"/> (tests/Cadence.Testing) as the benchmarks start it: on a fresh data directory.</summary>
static class BenchServer
{
    extension(ServerProcess)
    {
        /// <summary>SQLite in a throwaway data directory, or the given PostgreSQL database (migrated on start).</summary>
        public static Task<ServerProcess> StartAsync(string? database = null, params string[] settings)
        {
            var data = Path.Combine(Path.GetTempPath(), "cadence-bench", Guid.NewGuid().ToString("N"));
            string[] migrate = database is null ? [] : ["--Cadence:MigrateOnStart=true"];
            return ServerProcess.LaunchAsync(data, database, deleteDataDirectory: true, new Dictionary<string, string>(), [.. migrate, .. settings]);
        }
    }

    extension(ServerProcess server)
    {
        /// <summary>An HTTP client with a new credential of a high rate limit, for a benchmark's API calls.</summary>
        public async Task<HttpClient> ApiClientAsync()
        {
            var created = JsonDocument.Parse(await server.CliAsync("credentials", "create", "--name", "bench", "--rate-limit", "100000", "--json")).RootElement;
            var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(10) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(
                Encoding.UTF8.GetBytes($"{created.GetProperty("key").GetString()}:{created.GetProperty("secret").GetString()}")));
            return client;
        }
    }
}
