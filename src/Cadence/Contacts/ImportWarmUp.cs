using System.Diagnostics;
using System.Text;
using Cadence.Authentication;
using Cadence.Teams;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Contacts;

/// <summary>
/// Readies a server that has just started for the nightly sync, which is often its first request: once the server
/// has started, a made-up credential is checked once, the reads an import makes before its rows are made for a team
/// that does not exist (their queries are compiled), and a few hundred made-up rows of each format go through the
/// import's readers and plan, in memory, in short rounds. Nothing is written or kept, and a failure only costs speed. Off with <c>Cadence:ImportWarmUp=false</c> (the tests' in-process servers).
/// </summary>
/// <remarks>
/// Why rounds with pauses: the runtime first compiles each method quickly and unoptimised, and recompiles the ones
/// called 30 times, but only counts calls once no new method has been compiled for 100 ms. A fresh server's import
/// compiles new code for its first second, so before this its row path (and CoreLib's vectorised search that
/// Utf8JsonReader calls for every string, which has no precompiled code) ran unoptimised for much of the import.
/// Measured (session 8, the bench's bodies, a fresh server, helpers paused): the first 100,000-contact JSON import
/// 3.6–3.9 s → 2.2 s, its server CPU 5.2–5.5 s → 2.8–3.1 s; four rounds without pauses made no difference. The
/// warm-up costs about 0.2 s of CPU in the two seconds after start.
/// </remarks>
public sealed class ImportWarmUp(IHostApplicationLifetime lifetime, CredentialVerifier credentials,
    IServiceScopeFactory scopes, ILogger<ImportWarmUp> logger) : BackgroundService
{
    const int Rows = 300;
    const int Rounds = 12;
    static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(150);

    /// <summary>Whether <c>Cadence:ImportWarmUp</c> (true unless set) asks for the warm-up; a value that is no boolean stops the start.</summary>
    public static bool Enabled(IConfiguration configuration) => configuration["Cadence:ImportWarmUp"] switch
    {
        null or "" => true,
        var text when bool.TryParse(text, out var on) => on,
        var text => throw new CadenceException($"Cadence:ImportWarmUp must be true or false, not '{text}'."),
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(started.SetResult))
        {
            await started.Task.WaitAsync(stoppingToken);
        }
        await Task.Yield();
        try
        {
            var watch = Stopwatch.StartNew();
            await credentials.WarmUpAsync(stoppingToken);
            await ReadNoTeamAsync(stoppingToken);
            var json = Json();
            var csv = Csv();
            var (planned, refused) = (0, 0);
            for (var round = 0; round < Rounds; round++)
            {
                foreach (var source in new IContactSource[] { JsonImportSource.Open(new MemoryStream(json)), CsvContactReader.Open(new MemoryStream(csv), ',') })
                {
                    var (rows, refusals) = Read(source);
                    (planned, refused) = (planned + rows, refused + refusals);
                }
                await Task.Delay(Pause, stoppingToken);
            }
            logger.LogDebug("Import warm-up done in {Elapsed} ms: {Rows} made-up rows planned, {Refused} refused.",
                watch.ElapsedMilliseconds, planned, refused);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "The import warm-up failed; the first import will be slower, nothing else changes.");
        }
    }

    /// <summary>The reads an import makes before its first row, for a team that does not exist (they find nothing).</summary>
    async Task ReadNoTeamAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.CadenceDb>();
        var team = new Team { Id = Guid.NewGuid(), OrganizationId = Guid.NewGuid(), DepartmentCode = "WARMUP", Name = "warm-up" };
        try
        {
            await TeamLookup.FindAsync(db, team.OrganizationId, team.DepartmentCode, cancellationToken);
        }
        catch (CadenceException)
        {
            // as expected: no such team
        }
        var plan = await scope.ServiceProvider.GetRequiredService<ContactImporter>().PlanAsync(team, "import", cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using (var writer = await ContactBulkWriter.StartAsync(db, plan, cancellationToken))
        {
            await writer.FindAsync(["W00000000"], ["1-202-555-0100"], plan.Stored, cancellationToken);
        }
        // A team with contacts reads its chunks' opt-outs by number: EF Core compiled this query during a fresh server's
        // first re-import (the runtime's compile log, session 12; the bench's CSV re-import 0.59 s -> 0.38-0.43 s, JSON's
        // 0.52 s -> 0.51-0.52 s, within the noise).
        await NumberOptOut.ForTeamAsync(db, team.OrganizationId, team.Id, cancellationToken, ["2025550100"]);
        // The first batch and event handed to the change tracker cost about 60 ms of a fresh server's import (measured,
        // session 8); they are forgotten here, never saved.
        db.ImportBatches.Add(new ImportBatch { OrganizationId = team.OrganizationId, TeamId = team.Id, Format = "json", CreatedBy = "warm-up" });
        Events.EventLog.Append(db, team.OrganizationId, team.Id, team.DepartmentCode, Events.EventTypes.ImportCompleted, DateTime.UtcNow, null,
            new Events.ImportCompletedData(Guid.NewGuid(), "json", 0, 0, 0, 0, 0));
        db.ChangeTracker.Clear();
    }

    /// <summary>Plans every row twice: as a new contact, then as the same contact on file (the unchanged path).</summary>
    static (int Planned, int Refused) Read(IContactSource source)
    {
        var team = new Team { DepartmentCode = "WARMUP", Name = "warm-up" };
        var fields = new Dictionary<string, CustomField>(StringComparer.OrdinalIgnoreCase) { ["Major"] = new() { Name = "Major" } };
        var now = DateTime.UtcNow;
        var asNew = new ImportPlan(team, fields, [], now, "import");
        var asStored = new ImportPlan(team, fields, [], now, "import");
        var (ids, numbers) = (new List<string>(), new List<string>());
        using (source)
        {
            while (source.Next() is { } row)
            {
                asStored.Keys(row, ids, numbers);
                if (asNew.Add(row) is { } write)
                {
                    var c = write.Contact;
                    asStored.Stored.Add(new StoredContact(c.Id, c.UniqueCampusId, c.FirstName, c.LastName, c.MobileNumber, c.OptedOut, c.StaffId, c.CustomFields));
                }
                asStored.Add(row);
                (ids, numbers) = ([], []);
            }
        }
        // What the end of an import serialises: its report and its import.completed event (neither is saved).
        asStored.Errors.Serialize();
        Events.EventLog.Build(team.OrganizationId, team.Id, team.DepartmentCode, Events.EventTypes.ImportCompleted, now, null,
            new Events.ImportCompletedData(Guid.NewGuid(), source.Format, asNew.Total, asNew.Created, asStored.Updated, asStored.Unchanged, asStored.FailedRows));
        return (asNew.Total + asStored.Total, asNew.FailedRows + asStored.FailedRows + asStored.Created + asStored.Updated);
    }

    static byte[] Json()
    {
        var text = new StringBuilder("{\"notificationEmail\":\"it@college.edu\",\"contacts\":[");
        for (var i = 0; i < Rows; i++)
        {
            text.Append(i == 0 ? "" : ",").Append($"{{\"uniqueCampusId\":\"W{i:D8}\",\"firstName\":\"First{i}\",\"lastName\":\"Last{i}\",")
                .Append($"\"mobileNumber\":\"{Mobile(i)}\",\"optedOut\":0,\"customFields\":{{\"Major\":\"History\"}}}}");
        }
        return Encoding.UTF8.GetBytes(text.Append("]}").ToString());
    }

    static byte[] Csv()
    {
        var text = new StringBuilder("ContactId,FirstName,LastName,MobileNumber,OptedOut,Major\n");
        for (var i = 0; i < Rows; i++)
        {
            text.Append($"W{i:D8},First{i},Last{i},{Mobile(i)},0,Biology\n");
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    static string Mobile(int i) => $"{2025550100L + i:D10}";
}
