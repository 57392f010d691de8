namespace Cadence.Contacts;

/// <summary>
/// Receives an import body into a temporary file under the data directory before the import takes a slot:
/// a client sending slowly then holds only its own upload, never one of the server's import slots or the
/// database's write lock, and the body is never held in memory. The file is deleted when closed.
/// </summary>
public sealed class ImportSpool(CadenceSettings settings)
{
    /// <summary>Uploads being received at once, per team and in all (bounding the disk: 16 × 128 MiB).</summary>
    public const int ReceivingPerTeam = 2;
    public const int ReceivingInAll = 16;

    readonly Dictionary<Guid, int> receiving = [];
    int total;
    int cleaned;

    string Directory => Path.Combine(settings.DataDirectory, "imports");

    public async Task<FileStream> ReceiveAsync(Guid teamId, string departmentCode, Stream body, CancellationToken cancellationToken)
    {
        Enter(teamId, departmentCode);
        try
        {
            var file = Create();
            try
            {
                // The request's size limit (128 MiB) ends this with a 413 as soon as it is crossed.
                await body.CopyToAsync(file, 64 * 1024, cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Position = 0;
                return file;
            }
            catch
            {
                await file.DisposeAsync();
                throw;
            }
        }
        finally
        {
            Leave(teamId);
        }
    }

    FileStream Create()
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (Interlocked.Exchange(ref cleaned, 1) == 0)
        {
            // Files a crash left behind (a closed spool deletes itself).
            foreach (var stale in System.IO.Directory.EnumerateFiles(Directory, "*.part"))
            {
                try
                {
                    File.Delete(stale);
                }
                catch (IOException)
                {
                }
            }
        }
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous,
            BufferSize = 64 * 1024,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return new FileStream(Path.Combine(Directory, Guid.NewGuid().ToString("N") + ".part"), options);
    }

    void Enter(Guid teamId, string departmentCode)
    {
        lock (receiving)
        {
            var team = receiving.GetValueOrDefault(teamId);
            if (team >= ReceivingPerTeam || total >= ReceivingInAll)
            {
                throw new CadenceException(team >= ReceivingPerTeam
                        ? $"Team {departmentCode} already has {ReceivingPerTeam} imports being uploaded. Retry when they finish."
                        : $"{ReceivingInAll} imports are being uploaded to this server. Retry in a minute.",
                    StatusCodes.Status429TooManyRequests, "imports_busy") { RetryAfter = TimeSpan.FromMinutes(1) };
            }
            receiving[teamId] = team + 1;
            total++;
        }
    }

    void Leave(Guid teamId)
    {
        lock (receiving)
        {
            total--;
            if (--receiving[teamId] == 0)
            {
                receiving.Remove(teamId);
            }
        }
    }
}
