namespace Cadence.Data;

/// <summary>
/// The data directory holds the database (password hashes, session ids, the console's keys, student data) and
/// the pepper: it is made readable by its owner only (0700, files 0600), and a start on a wider one warns.
/// </summary>
public static class DataDirectory
{
    const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static void Create(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        }
    }

    /// <summary>
    /// Creates the SQLite file empty and owner-only before SQLite opens it: SQLite gives its -wal and -shm files
    /// the permissions of the database file, so all three end up 0600 (an empty file is a valid empty database).
    /// </summary>
    public static void CreateDatabaseFile(string path)
    {
        Create(Path.GetDirectoryName(path)!);
        if (OperatingSystem.IsWindows() || File.Exists(path))
        {
            return;
        }
        try
        {
            using var _ = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnlyFile });
        }
        catch (IOException) when (File.Exists(path))
        {
            // another process created it first
        }
    }

    /// <summary>The directory and the database files that others than their owner may read or enter.</summary>
    public static IReadOnlyList<string> TooOpen(string directory, string databasePath)
    {
        if (OperatingSystem.IsWindows())
        {
            return [];
        }
        var open = new List<string>();
        foreach (var path in new[] { directory, databasePath, databasePath + "-wal", databasePath + "-shm", Path.Combine(directory, "pepper.key") })
        {
            if ((File.Exists(path) || Directory.Exists(path)) && (File.GetUnixFileMode(path) & GroupOrOther) != 0)
            {
                open.Add(path);
            }
        }
        return open;
    }
}
