using Cadence.Data;
using Microsoft.Extensions.Options;

namespace Cadence.Contacts;

/// <summary>
/// Receives an import body into a temporary file under the data directory before the import takes a slot:
/// a client sending slowly then holds only its own upload, never one of the server's import slots or the
/// database's write lock, and the body is never held in memory. The file is deleted when closed.
/// Uploads being received are bounded per credential, per team and in all, and each must keep up a minimum
/// rate, so that one credential's slow uploads cannot hold the server's receiving places for long.
/// </summary>
public sealed class ImportSpool(IOptions<DataOptions> options)
{
    readonly string dataDirectory = options.Value.DataDirectory;
    /// <summary>Uploads being received at once, per credential, per team and in all (bounding the disk: 16 × 128 MiB).</summary>
    public const int ReceivingPerCredential = 1;
    public const int ReceivingPerTeam = 2;
    public const int ReceivingInAll = 16;

    /// <summary>
    /// The slowest upload accepted, averaged once the grace has passed (Kestrel's per-request minimum body rate):
    /// 8 KiB/s receives the 128 MiB limit in under 5 hours; a nightly sync over any real link sends far faster.
    /// </summary>
    public const int MinBytesPerSecond = 8 * 1024;
    public static readonly TimeSpan MinRateGrace = TimeSpan.FromSeconds(10);

    readonly Dictionary<Guid, int> receiving = [];
    int total;

    /// <summary>Uploads being received now, on this node (tests wait on it instead of probing with uploads of their own).</summary>
    internal int Receiving
    {
        get
        {
            lock (receiving)
            {
                return total;
            }
        }
    }
    int cleaned;

    string Directory => Path.Combine(dataDirectory, "imports");

    public async Task<FileStream> ReceiveAsync(HttpContext http, Guid credentialId, Guid teamId, string departmentCode, CancellationToken cancellationToken)
    {
        Enter(credentialId, teamId, departmentCode);
        try
        {
            RequireMinimumRate(http);
            var file = Create();
            try
            {
                // The request's size limit (128 MiB) ends this with a 413 as soon as it is crossed.
                await http.Request.Body.CopyToAsync(file, 64 * 1024, cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Position = 0;
                return file;
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status408RequestTimeout)
            {
                await file.DisposeAsync();
                throw new CadenceException($"The upload arrived slower than {MinBytesPerSecond / 1024} KiB/s; it was stopped. Send the import over a faster link.",
                    StatusCodes.Status408RequestTimeout, "upload_too_slow");
            }
            catch
            {
                await file.DisposeAsync();
                throw;
            }
        }
        finally
        {
            Leave(credentialId, teamId);
        }
    }

    static void RequireMinimumRate(HttpContext http)
    {
        if (http.Features.Get<Microsoft.AspNetCore.Server.Kestrel.Core.Features.IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            try
            {
                rate.MinDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(MinBytesPerSecond, MinRateGrace);
            }
            catch (NotSupportedException)
            {
                // HTTP/2 has no per-request rate; the per-credential cap still bounds what one caller holds.
            }
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

    // Credentials and teams share one table: both are random Guids.
    void Enter(Guid credentialId, Guid teamId, string departmentCode)
    {
        lock (receiving)
        {
            var credential = receiving.GetValueOrDefault(credentialId);
            var team = receiving.GetValueOrDefault(teamId);
            var refusal = credential >= ReceivingPerCredential ? $"This credential already has an import being uploaded. Send one at a time; retry when it finishes."
                : team >= ReceivingPerTeam ? $"Team {departmentCode} already has {ReceivingPerTeam} imports being uploaded. Retry when they finish."
                : total >= ReceivingInAll ? $"{ReceivingInAll} imports are being uploaded to this server. Retry in a minute."
                : null;
            if (refusal is not null)
            {
                throw ImportGate.Busy(refusal);
            }
            receiving[credentialId] = credential + 1;
            receiving[teamId] = team + 1;
            total++;
        }
    }

    void Leave(Guid credentialId, Guid teamId)
    {
        lock (receiving)
        {
            total--;
            foreach (var key in new[] { credentialId, teamId })
            {
                if (--receiving[key] == 0)
                {
                    receiving.Remove(key);
                }
            }
        }
    }
}
