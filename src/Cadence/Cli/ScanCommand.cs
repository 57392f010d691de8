using System.CommandLine;
using Cadence.Audit;
using Cadence.Credentials;

namespace Cadence.Cli;

/// <summary>
/// `cadence credentials scan PATH…`: finds Cadence secrets in files and says which still work. With --revoke
/// it stops each one that does. Exit 0: nothing found still works; 3: something found still works; 1: an error.
/// </summary>
public static class ScanCommand
{
    public const int StillWorks = 3;

    public static Command Create(CliContext cli)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Files or folders (searched through, hidden files too)", Arity = ArgumentArity.OneOrMore };
        var revoke = new Option<bool>("--revoke") { Description = "Stop every secret found that still works (revokes its credential; ends an old secret's grace period)" };
        var command = new Command("scan", "Find Cadence secrets in files and say which still work") { paths, revoke };
        command.SetAction(parse => CadenceCli.WithDatabaseAsync(parse, cli, async (services, organization) =>
        {
            var leaked = services.GetRequiredService<LeakedSecrets>();
            var files = SecretScanner.Files(parse.GetValue(paths)!).ToList();
            var findings = new List<Finding>();
            // One answer per distinct secret, however often it appears.
            var seen = new Dictionary<string, (SecretLookup Lookup, bool Stopped)>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                try
                {
                    await foreach (var found in SecretScanner.ScanAsync(file))
                    {
                        var secret = found.Secret.Reveal();
                        if (!seen.TryGetValue(secret, out var answer))
                        {
                            var lookup = parse.GetValue(revoke)
                                ? await leaked.StopAsync(organization.Id, found.Secret, $"leaked: found in {Shorten(found.Path)}:{found.Line} by credentials scan", Actor.Shell())
                                : await leaked.LookUpAsync(organization.Id, found.Secret);
                            seen[secret] = answer = (lookup, lookup.Works && parse.GetValue(revoke));
                        }
                        findings.Add(new Finding(found.Path, found.Line, found.Column, Hint(secret), answer.Lookup.Credential?.Key,
                            answer.Lookup.Credential?.Name, answer.Lookup.Standing.ToString().ToLowerInvariant(), answer.Lookup.WorksUntil, answer.Stopped));
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    cli.Error.WriteLine($"warning: could not read {file}: {e.Message}");
                }
            }
            var stillWorking = seen.Values.Count(a => a.Lookup.Works && !a.Stopped);
            if (parse.GetValue(CadenceCli.Json))
            {
                cli.WriteJson(new { FilesScanned = files.Count, Findings = findings, StillWorking = stillWorking });
            }
            else
            {
                WriteText(cli, findings, files.Count, seen.Count, stillWorking);
            }
            return stillWorking > 0 ? StillWorks : 0;
        }));
        return command;
    }

    public sealed record Finding(
        string Path, long Line, long Column, string Secret, string? Key, string? Name, string Status, DateTime? WorksUntil, bool RevokedNow);

    static void WriteText(CliContext cli, List<Finding> findings, int files, int distinct, int stillWorking)
    {
        foreach (var f in findings)
        {
            var what = f.Key is null ? "not a secret of this Cadence" : $"{f.Key} \"{f.Name}\"";
            var status = f.RevokedNow ? $"{Describe(f.Status)} -> STOPPED NOW" : Describe(f.Status);
            var until = f.WorksUntil is { } at && !f.RevokedNow ? $" until {at:yyyy-MM-dd HH:mm}Z" : "";
            cli.Out.WriteLine($"{f.Path}:{f.Line}:{f.Column}  {f.Secret}  {status}{until}  {what}");
        }
        cli.Out.WriteLine($"{findings.Count} Cadence secret(s) found ({distinct} distinct) in {files} file(s); {stillWorking} still work.");
        if (stillWorking > 0)
        {
            cli.Out.WriteLine("Stop them: run this scan again with --revoke, or `cadence credentials revoke KEY`, then roll or replace the credential the application uses.");
        }
    }

    /// <summary>Enough of a secret to tell findings apart; never enough to use.</summary>
    static string Hint(string secret) => secret[..8] + "…";

    static string Shorten(string path) => TextCut.CutStart(path, 200);

    static string Describe(string status) => status switch
    {
        "active" => "WORKS",
        "grace" => "WORKS (old secret in its grace period)",
        "replaced" => "replaced by a roll",
        _ => status,
    };
}
