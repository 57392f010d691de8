using Cadence.Testing;

namespace Cadence.Tests.Infrastructure;

/// <summary>The shared <see cref="ServerProcess"/> (tests/Cadence.Testing) started on a test's own database.</summary>
public static class ServerProcessOnTestDatabase
{
    extension(ServerProcess)
    {
        public static Task<ServerProcess> StartAsync(TestDatabase database, params string[] settings) =>
            StartAsync(database, new Dictionary<string, string>(), settings);

        /// <summary>Starts the server with extra environment variables (a heap limit: DOTNET_GCHeapHardLimit=0x10000000).</summary>
        public static Task<ServerProcess> StartAsync(TestDatabase database, IReadOnlyDictionary<string, string> environment, params string[] settings) =>
            ServerProcess.LaunchAsync(database.DataDirectory, database.ConnectionString, deleteDataDirectory: false, environment, settings);
    }
}
