using System.Collections.Concurrent;
using System.Threading.Channels;
using Cadence.Data;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cadence.Messages;

/// <summary>How soon the pages that show a change must hear it.</summary>
public enum ChangeKind
{
    /// <summary>What staff wait for (an inbound text, a reply, an opt-out, read or archive state): the list and every open conversation of the team, at once.</summary>
    Listed,

    /// <summary>Texts went out (the list's "Sent: …" line and order): the list, but at most once per the console stream's ActivityGap (Console/Inbox/InboxEvents).</summary>
    Activity,

    /// <summary>A text's status (the list shows none): only the open conversation of that text.</summary>
    Status,
}

/// <summary>What changed: one conversation of a team (<see cref="Key"/>, a <see cref="ConversationRef.Key"/>), or any of the team's (Key null).</summary>
public readonly record struct ConversationChange(Guid Team, string? Key, ChangeKind Kind);

/// <summary>
/// "Something changed in team T's conversations": raised with one call where it happens (an inbound text, a
/// status change, an opt-out change), heard by the open inbox and conversation pages on this node that show it,
/// and on PostgreSQL by every other node through NOTIFY on <see cref="Channel"/>. A signal carries no data but
/// what changed: a page that hears it reads what it shows again, so a lost or doubled signal costs a read, never
/// a wrong page (the pages poll as well, as a safety net). Each page hears only what it shows: a busy outbox's
/// status changes reach the open conversations of those texts, not every inbox (50 inbox pages re-reading on each
/// chunk took CreateAndSend from 273/s to 19/s in the inbox bench; one read of /inbox costs about 19 ms there).
/// </summary>
public sealed class ConversationSignals(IOptions<DataOptions> options, ILogger<ConversationSignals> logger) : BackgroundService
{
    readonly DataOptions settings = options.Value;
    public const string Channel = "cadence_inbox";

    /// <summary>Every team: heard after this node may have missed notifications (the listening connection dropped).</summary>
    public static readonly Guid AllTeams = Guid.AllBitsSet;

    readonly string node = Guid.NewGuid().ToString("N");
    readonly ConcurrentDictionary<Subscription, byte> subscribers = new();

    // Coalesced and bounded: a burst of status changes becomes a few NOTIFYs, and a dead database cannot grow it.
    readonly Channel<ConversationChange> outgoing = System.Threading.Channels.Channel.CreateBounded<ConversationChange>(
        new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public int Listeners => subscribers.Count;

    /// <summary>
    /// Tells this node's listeners, and the other nodes', that the team's conversations changed as the inbox list
    /// shows them (null: a number no team knows); every open conversation of the team reads itself again too.
    /// </summary>
    public void Raise(Guid? teamId) => Raise(new ConversationChange(teamId ?? ConversationState.NoTeam, null, ChangeKind.Listed));

    /// <summary>
    /// Texts' statuses changed: heard at once by the open conversations of those texts; and, when they left the queue, by
    /// the inbox lists of their teams as <see cref="ChangeKind.Activity"/> (so an API or bulk send shows as the
    /// latest text within the activity gap, without a busy outbox making every inbox read itself again).
    /// </summary>
    public void RaiseStatus(IReadOnlyCollection<Message> messages, bool leftTheQueue = false)
    {
        foreach (var change in messages.Select(m => new ConversationChange(m.TeamId ?? ConversationState.NoTeam, ConversationRef.Of(m).Key, ChangeKind.Status)).Distinct())
        {
            Raise(change);
        }
        if (leftTheQueue)
        {
            foreach (var team in messages.Select(m => m.TeamId ?? ConversationState.NoTeam).Distinct())
            {
                Raise(new ConversationChange(team, null, ChangeKind.Activity));
            }
        }
    }

    void Raise(ConversationChange change)
    {
        Deliver(change);
        if (settings.UsesPostgres)
        {
            outgoing.Writer.TryWrite(change);
        }
    }

    /// <summary>A listener's queue of the changes it <paramref name="hears"/> (and <see cref="AllTeams"/>); dispose it to stop listening.</summary>
    public Subscription Subscribe(Func<ConversationChange, bool> hears)
    {
        var subscription = new Subscription(this, hears);
        subscribers[subscription] = 0;
        return subscription;
    }

    void Deliver(ConversationChange change)
    {
        foreach (var subscriber in subscribers.Keys)
        {
            // Filtered here, not by the reader: a page's small queue is never filled with changes it does not show.
            if (change.Team == AllTeams || subscriber.Hears(change))
            {
                subscriber.Changes.Writer.TryWrite(change);
            }
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
                    var changes = new HashSet<ConversationChange>();
                    while (changes.Count < MaxPerNotify && outgoing.Reader.TryRead(out var change))
                    {
                        changes.Add(change);
                    }
                    // Many changes to one NOTIFY (a chunk of 50 texts is one round trip, not 50), well under its 8,000 bytes.
                    await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
                    notify.Parameters.AddWithValue("channel", Channel);
                    notify.Parameters.AddWithValue("payload", node + ";" + string.Join(";", changes.Select(Encode)));
                    await notify.ExecuteNonQueryAsync(stoppingToken);
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

    // Changes may have been missed while not listening: every page reads itself again.
    Task ListenAsync(CancellationToken stoppingToken) => PostgresListener.ListenAsync(settings.Database, Channel, Heard,
        () => Deliver(new ConversationChange(AllTeams, null, ChangeKind.Listed)), logger, "Listening for inbox changes", stoppingToken);

    // Each change is about 70 bytes ("team:kind:key"): 80 of them stay well under NOTIFY's 8,000-byte payload.
    const int MaxPerNotify = 80;

    static string Encode(ConversationChange c) => $"{c.Team:N}:{(int)c.Kind}:{c.Key}";

    void Heard(string payload)
    {
        var parts = payload.Split(';');
        if (parts.Length < 2)
        {
            // An older node's "node:team": a change of the team's list.
            var old = payload.Split(':');
            if (old.Length == 2 && old[0] != node && Guid.TryParseExact(old[1], "N", out var team))
            {
                Deliver(new ConversationChange(team, null, ChangeKind.Listed));
            }
            return;
        }
        if (parts[0] == node)
        {
            return; // this node's own changes were delivered when raised
        }
        foreach (var part in parts.Skip(1))
        {
            var fields = part.Split(':');
            if (fields.Length == 3 && Guid.TryParseExact(fields[0], "N", out var team) && int.TryParse(fields[1], out var kind)
                && Enum.IsDefined((ChangeKind)kind) && fields[2].Length <= 64)
            {
                Deliver(new ConversationChange(team, fields[2].Length == 0 ? null : fields[2], (ChangeKind)kind));
            }
        }
    }

    public sealed class Subscription(ConversationSignals signals, Func<ConversationChange, bool> hears) : IDisposable
    {
        public bool Hears(ConversationChange change) => hears(change);

        /// <summary>Bounded: a slow page loses repeats of a signal, which mean the same thing.</summary>
        public Channel<ConversationChange> Changes { get; } = System.Threading.Channels.Channel.CreateBounded<ConversationChange>(
            new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public void Dispose() => signals.subscribers.TryRemove(this, out _);
    }
}
