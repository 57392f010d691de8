namespace Cadence.Data;

/// <summary>
/// A server holds DATA/server.lock (an exclusive lock) while it runs on the embedded database, so that a
/// restore can tell that the database is in use. The lock ends with the process, even after a kill.
/// </summary>
public sealed class ServerLock : IDisposable
{
    readonly FileStream file;

    ServerLock(FileStream file) => this.file = file;

    public static ServerLock? TryTake(string dataDirectory)
    {
        DataDirectory.Create(dataDirectory);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = DataDirectory.OwnerOnlyFile;
            }
            return new ServerLock(new FileStream(Path.Combine(dataDirectory, "server.lock"), options));
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => file.Dispose();
}
