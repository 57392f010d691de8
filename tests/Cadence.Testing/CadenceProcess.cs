using System.Diagnostics;

namespace Cadence.Testing;

/// <summary>What one run of the `cadence` executable printed, and how it ended.</summary>
public sealed record CadenceRun(int ExitCode, string Out, string Error, TimeSpan Elapsed)
{
    /// <summary>Both streams, for checks that neither shows something (a stack trace, a type name).</summary>
    public string Printed => Out + Error;
}

/// <summary>
/// Runs the real `cadence` executable (the cadence.dll built beside the test or benchmark) once in its own process and
/// waits, bounded, for it to exit: a command, help, or a start that must be refused. <see cref="ServerProcess"/> is the
/// one for a server that keeps running.
/// </summary>
public static class CadenceProcess
{
    public static string Executable => Path.Combine(AppContext.BaseDirectory, "cadence.dll");

    /// <summary>
    /// Runs `cadence <paramref name="args"/>` and returns its exit code and output. Standard input is
    /// <paramref name="input"/> and then its end, so a command that asks for a line never waits on the test's own.
    /// A run that has not exited after <paramref name="timeout"/> (a server that started when it should not have) is
    /// killed, and a <see cref="TimeoutException"/> says so with what it printed. <paramref name="whileRunning"/>, if
    /// given, runs once the process has started (e.g. to signal it at a moment the test waits for).
    /// </summary>
    public static async Task<CadenceRun> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null, string? input = null, Func<Process, Task>? whileRunning = null)
    {
        string[] line = [.. args];
        var start = new ProcessStartInfo("dotnet", ["exec", Executable, .. line])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        // Both streams are read as they come: a full pipe would block the process.
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteLineAsync(input);
        }
        process.StandardInput.Close();
        if (whileRunning is not null)
        {
            await whileRunning(process);
        }
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        using (var bound = new CancellationTokenSource(limit))
        {
            try
            {
                await process.WaitForExitAsync(bound.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                throw new TimeoutException($"`cadence {string.Join(' ', line)}` had not exited after {limit.TotalSeconds:0} s: {await output}{await error}");
            }
        }
        return new CadenceRun(process.ExitCode, await output, await error, clock.Elapsed);
    }
}
