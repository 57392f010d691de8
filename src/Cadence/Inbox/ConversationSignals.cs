using System.Collections.Concurrent;
using System.Threading.Channels;
using Cadence.Data;
using Npgsql;

namespace Cadence.Inbox;

/// <summary>
/// "Something changed in team T's conversations": raised with one call where it happens (an inbound text, a
/// status change, an opt-out change), heard by every open inbox and conversation on this node at once, and on
/// PostgreSQL by every other node through NOTIFY on <see cref="Channel"/>. A signal carries no data, only the
/// team: a page that hears it reads what it shows again, so a lost or doubled signal costs a read, never a wrong
/// page (the pages poll as well, as a safety net).
/// </summary>
public sealed class ConversationSignals(CadenceSettings settings, ILogger<ConversationSignals> logger) : BackgroundService
{
    public const string Channel = "cadence_inbox";

    /// <summary>Every team: heard after this node may have missed notifications (the listening connection dropped).</summary>
    public static readonly Guid AllTeams = Guid.AllBitsSet;

    readonly string node = Guid.NewGuid().ToString("N");
    readonly ConcurrentDictionary<Subscription, byte> subscribers = new();

    // Coalesced and bounded: a burst of status changes becomes a few NOTIFYs, and a dead database cannot grow it.
    readonly Channel<Guid> outgoing = System.Threading.Channels.Channel.CreateBounded<Guid>(
        new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public int Listeners => subscribers.Count;

    /// <summary>Tells this node's listeners, and the other nodes', that the team's conversations changed (null: a number no team knows).</summary>
    public void Raise(Guid? teamId)
    {
        var team = teamId ?? ConversationState.NoTeam;
        Deliver(team);
        if (settings.UsesPostgres)
        {
            outgoing.Writer.TryWrite(team);
        }
    }

    public void Raise(IEnumerable<Guid?> teamIds)
    {
        foreach (var team in teamIds.Distinct())
        {
            Raise(team);
        }
    }

    /// <summary>A listener's queue of changed teams; dispose it to stop listening.</summary>
    public Subscription Subscribe()
    {
        var subscription = new Subscription(this);
        subscribers[subscription] = 0;
        return subscription;
    }

    void Deliver(Guid team)
    {
        foreach (var subscriber in subscribers.Keys)
        {
            subscriber.Changes.Writer.TryWrite(team);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        settings.UsesPostgres ? Task.WhenAll(PublishAsync(stoppingToken), ListenAsync(stoppingToken)) : Task.CompletedTask;

    async Task PublishAsync(CancellationToken stoppingToken)
    {
        var backoff = new OutageBackoff(logger, "Telling other nodes of inbox changes");
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(settings.Database);
                await connection.OpenAsync(stoppingToken);
                backoff.Succeeded();
                while (await outgoing.Reader.WaitToReadAsync(stoppingToken))
                {
                    var teams = new HashSet<Guid>();
                    while (teams.Count < 100 && outgoing.Reader.TryRead(out var team))
                    {
                        teams.Add(team);
                    }
                    foreach (var team in teams)
                    {
                        await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
                        notify.Parameters.AddWithValue("channel", Channel);
                        notify.Parameters.AddWithValue("payload", $"{node}:{team:N}");
                        await notify.ExecuteNonQueryAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                await OutageBackoff.WaitAsync(backoff.Failed(e), stoppingToken);
            }
        }
    }

    async Task ListenAsync(CancellationToken stoppingToken)
    {
        var backoff = new OutageBackoff(logger, "Listening for inbox changes");
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(settings.Database);
                connection.Notification += (_, e) => Heard(e.Payload);
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                Deliver(AllTeams); // changes may have been missed while not listening
                backoff.Succeeded();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                await OutageBackoff.WaitAsync(backoff.Failed(e), stoppingToken);
            }
        }
    }

    void Heard(string payload)
    {
        var parts = payload.Split(':');
        if (parts.Length == 2 && parts[0] != node && Guid.TryParseExact(parts[1], "N", out var team))
        {
            Deliver(team); // this node's own changes were delivered when raised
        }
    }

    public sealed class Subscription(ConversationSignals signals) : IDisposable
    {
        /// <summary>Bounded: a slow page loses repeats of a signal, which mean the same thing.</summary>
        public Channel<Guid> Changes { get; } = System.Threading.Channels.Channel.CreateBounded<Guid>(
            new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public void Dispose() => signals.subscribers.TryRemove(this, out _);
    }
}
