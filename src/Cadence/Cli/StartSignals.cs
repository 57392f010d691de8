using System.Runtime.InteropServices;

namespace Cadence.Cli;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM while the server's start is still being checked (a long migration, a database that
/// waits for a lock): the host listens for them only once it starts, so without this they would end the process at
/// once. The first signal cancels <see cref="Token"/>, which the checks run with; a second one ends the process as usual.
/// Disposed just before the host starts, which then takes the signals over.
/// </summary>
public sealed class StartSignals : IDisposable
{
    readonly CancellationTokenSource stop;
    readonly PosixSignalRegistration[] registrations;
    string? received;

    public StartSignals(CancellationToken cancellationToken)
    {
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Heard), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Heard)];
    }

    public CancellationToken Token => stop.Token;

    /// <summary>The signal that stopped the start ("SIGINT", "SIGTERM"), or null.</summary>
    public string? Received => Volatile.Read(ref received);

    void Heard(PosixSignalContext context)
    {
        // A second signal is not cancelled: an operator who presses Ctrl+C again means "now".
        if (Interlocked.CompareExchange(ref received, context.Signal == PosixSignal.SIGINT ? "SIGINT" : "SIGTERM", null) is null)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    public void Dispose()
    {
        foreach (var registration in registrations)
        {
            registration.Dispose();
        }
        stop.Dispose();
    }
}
