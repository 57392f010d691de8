using Cadence.Contacts;

namespace Cadence.Tests.Contacts;

/// <summary>The import gate's rules on its own: a few at once, a few more waiting in turn, the rest turned away.</summary>
public sealed class ImportGateTests
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AnImportPastTheWaitingOnesIsTurnedAwayAtOnce()
    {
        using var gate = new ImportGate(TimeSpan.FromMinutes(5));
        var ct = TestContext.Current.CancellationToken;
        var held = await EnterAllAsync(gate, ImportGate.Concurrent, ct);
        var waiting = Enumerable.Range(0, ImportGate.Waiting).Select(_ => gate.EnterAsync(ct)).ToList();

        var turnedAway = await Assert.ThrowsAsync<CadenceException>(() => gate.EnterAsync(ct)).WaitAsync(Deadline, ct);

        Assert.Equal(429, turnedAway.StatusCode);
        Assert.Equal("imports_busy", turnedAway.Code);
        Assert.Equal(TimeSpan.FromMinutes(1), turnedAway.RetryAfter);
        Assert.All(waiting, w => Assert.False(w.IsCompleted, "a waiting import was let in or turned away"));
        // Each waiting one gets its turn as the one before it finishes.
        held.ForEach(slot => slot.Dispose());
        foreach (var turn in waiting)
        {
            (await turn.WaitAsync(Deadline, ct)).Dispose();
        }
    }

    [Fact]
    public async Task AFreedSlotGoesToTheImportThatHasWaitedLongest()
    {
        using var gate = new ImportGate(TimeSpan.FromMinutes(5));
        var ct = TestContext.Current.CancellationToken;
        var held = await EnterAllAsync(gate, ImportGate.Concurrent, ct);
        var first = gate.EnterAsync(ct);
        var second = gate.EnterAsync(ct);

        held[0].Dispose();

        using var slot = await first.WaitAsync(Deadline, ct);
        Assert.False(second.IsCompleted, "the later import went first");
        held[1].Dispose();
        (await second.WaitAsync(Deadline, ct)).Dispose();
    }

    [Fact]
    public async Task AnImportThatWaitsTooLongIsTurnedAway()
    {
        using var gate = new ImportGate(TimeSpan.FromMilliseconds(200));
        var ct = TestContext.Current.CancellationToken;
        var held = await EnterAllAsync(gate, ImportGate.Concurrent, ct);

        var turnedAway = await Assert.ThrowsAsync<CadenceException>(() => gate.EnterAsync(ct)).WaitAsync(Deadline, ct);

        Assert.Equal("imports_busy", turnedAway.Code);
        held.ForEach(slot => slot.Dispose());
    }

    [Fact]
    public async Task AnAbortedWaitLeavesTheQueueAndIsNoBusyAnswer()
    {
        using var gate = new ImportGate(TimeSpan.FromMinutes(5));
        var ct = TestContext.Current.CancellationToken;
        var held = await EnterAllAsync(gate, ImportGate.Concurrent, ct);
        using var abort = new CancellationTokenSource();
        var aborted = Enumerable.Range(0, ImportGate.Waiting).Select(_ => gate.EnterAsync(abort.Token)).ToList();

        await abort.CancelAsync();

        foreach (var wait in aborted)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait).WaitAsync(Deadline, ct);
        }
        // Their places in the queue are free again.
        var next = gate.EnterAsync(ct);
        held[0].Dispose();
        (await next.WaitAsync(Deadline, ct)).Dispose();
        held[1].Dispose();
    }

    [Fact]
    public async Task ASlotDisposedTwiceIsFreedOnce()
    {
        using var gate = new ImportGate(TimeSpan.FromMilliseconds(200));
        var ct = TestContext.Current.CancellationToken;
        var held = await EnterAllAsync(gate, ImportGate.Concurrent, ct);

        held[0].Dispose();
        held[0].Dispose();

        using var one = await gate.EnterAsync(ct).WaitAsync(Deadline, ct);
        await Assert.ThrowsAsync<CadenceException>(() => gate.EnterAsync(ct)).WaitAsync(Deadline, ct);
        held[1].Dispose();
    }

    static async Task<List<IDisposable>> EnterAllAsync(ImportGate gate, int count, CancellationToken ct)
    {
        var slots = new List<IDisposable>();
        for (var i = 0; i < count; i++)
        {
            slots.Add(await gate.EnterAsync(ct).WaitAsync(Deadline, ct));
        }
        return slots;
    }
}
