using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Cadence.Inbox;
using Cadence.Messages;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cadence.Console.Inbox;

/// <summary>
/// GET /inbox/events: a Server-Sent Events stream that says "changed" whenever a conversation of one of the
/// signed-in user's teams changes. The page then reads itself again; when the stream breaks, it polls. A stream
/// ends after <see cref="Lifetime"/> (the browser reconnects, signed in afresh), so a signed-out session or a
/// changed membership does not keep listening; and a node serves at most <see cref="MaxStreams"/> at once.
/// </summary>
public static class InboxEvents
{
    public const int MaxStreams = 5_000;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan MinimumGap = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Texts going out (<see cref="ChangeKind.Activity"/>) reach an inbox list at most this often: under a steady API
    /// or bulk load each open inbox reads itself every 10 s, not twice a second (50 open inboxes re-reading at the
    /// minimum gap cost CreateAndSend most of the machine in the inbox bench).
    /// </summary>
    public static readonly TimeSpan ActivityGap = TimeSpan.FromSeconds(10);

    /// <summary>The inbox's console part (the list and the reply form) over the conversations of <see cref="InboxServices.AddInbox"/>.</summary>
    public static IServiceCollection AddConsoleInbox(this IServiceCollection services)
    {
        services.AddInbox();
        services.AddScoped<InboxQuery>();
        services.AddScoped<ConversationReply>();
        return services;
    }

    public static IEndpointRouteBuilder MapInbox(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/inbox/events", Results<ServerSentEventsResult<string>, ProblemHttpResult> (
            HttpContext http, ConversationSignals signals, Guid? team, string? conversation) =>
        {
            if (signals.Listeners >= MaxStreams)
            {
                return RetryAfter.Problem(http.Response, TimeSpan.FromSeconds(30), StatusCodes.Status503ServiceUnavailable, "Too many live pages",
                    "This server has as many live inbox pages open as it serves; the page polls instead.", "too_many_streams");
            }
            var me = http.ConsoleUser();
            bool Mine(Guid t) => me.MayUseTeam(t) || (t == ConversationState.NoTeam && me.IsAdmin);
            // A conversation page (?team=ID&conversation=KEY) hears its own texts' statuses besides what the list shows.
            var open = team is { } t && Mine(t) && conversation is { Length: > 0 and <= 64 } ? (Team: t, Key: conversation) : ((Guid Team, string Key)?)null;
            // The list: what it shows (Listed, and Activity); an open conversation: what the list is told at once (the
            // navigation's unread count) and anything of its own conversation.
            Func<ConversationChange, bool> hears = open is { } o
                ? c => (c.Kind == ChangeKind.Listed && Mine(c.Team)) || (c.Kind != ChangeKind.Activity && c.Team == o.Team && (c.Key is null || c.Key == o.Key))
                : c => c.Kind != ChangeKind.Status && Mine(c.Team);
            return TypedResults.ServerSentEvents(StreamAsync(signals, hears, http.RequestAborted));
        }).RequireAuthorization(ConsoleDefaults.Policy).ExcludeFromDescription();
        return routes;
    }

    static async IAsyncEnumerable<SseItem<string>> StreamAsync(ConversationSignals signals, Func<ConversationChange, bool> hears,
        [EnumeratorCancellation] CancellationToken aborted)
    {
        using var subscription = signals.Subscribe(hears);
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        lifetime.CancelAfter(Lifetime);
        yield return new SseItem<string>("open", "ready") { ReconnectionInterval = TimeSpan.FromSeconds(2) };
        var reader = subscription.Changes.Reader;
        var lastSent = DateTime.MinValue;
        DateTime? activityDue = null; // texts went out: tell the page by then, unless something urgent tells it first
        while (!lifetime.IsCancellationRequested)
        {
            var heard = await HearAsync(reader, activityDue is { } due ? Min(Heartbeat, due - DateTime.UtcNow) : Heartbeat, lifetime.Token);
            if (lifetime.IsCancellationRequested)
            {
                yield break;
            }
            var urgent = false;
            while (reader.TryRead(out var change))
            {
                // The subscription hears only what this page shows.
                if (change.Kind == ChangeKind.Activity && change.Team != ConversationSignals.AllTeams)
                {
                    activityDue ??= Max(DateTime.UtcNow, lastSent + ActivityGap);
                }
                else
                {
                    urgent = true;
                }
            }
            if (urgent || activityDue <= DateTime.UtcNow)
            {
                // At most one change per MinimumGap: a burst of status changes costs each page one read per gap, not
                // one per chunk; the first change of a quiet stream goes at once.
                var wait = lastSent + MinimumGap - DateTime.UtcNow;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, CancellationToken.None); // half a second at most, even when the page goes away
                    while (reader.TryRead(out _))
                    {
                        // folded into this one (an activity too: the page reads everything it shows)
                    }
                }
                lastSent = DateTime.UtcNow;
                activityDue = null;
                yield return new SseItem<string>("changed", "change");
            }
            else if (!heard && activityDue is null)
            {
                yield return new SseItem<string>("", "ping"); // keeps proxies from closing an idle stream
            }
        }
    }

    /// <summary>Waits until a change is heard (true) or the timeout or the stream's end comes first (false).</summary>
    static async Task<bool> HearAsync(ChannelReader<ConversationChange> reader, TimeSpan timeout, CancellationToken lifetime)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return false;
        }
        using var beat = CancellationTokenSource.CreateLinkedTokenSource(lifetime);
        beat.CancelAfter(timeout);
        try
        {
            return await reader.WaitToReadAsync(beat.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
}
