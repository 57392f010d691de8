using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Cadence.Console;

namespace Cadence.Inbox;

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

    public static IServiceCollection AddInbox(this IServiceCollection services)
    {
        services.AddHostedService(sp => sp.GetRequiredService<ConversationSignals>());
        services.AddScoped<InboxQuery>();
        services.AddScoped<ConversationStates>();
        services.AddScoped<ConversationReply>();
        services.AddScoped<ConversationActions>();
        return services;
    }

    public static IEndpointRouteBuilder MapInbox(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/inbox/events", (HttpContext http, ConversationSignals signals) =>
        {
            if (signals.Listeners >= MaxStreams)
            {
                http.Response.Headers.RetryAfter = "30";
                return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Too many live pages",
                    detail: "This server has as many live inbox pages open as it serves; the page polls instead.", extensions: new Dictionary<string, object?> { ["code"] = "too_many_streams" });
            }
            var me = http.ConsoleUser();
            return TypedResults.ServerSentEvents(StreamAsync(me, signals, http.RequestAborted));
        }).RequireAuthorization(ConsoleDefaults.Policy).ExcludeFromDescription();
        return routes;
    }

    static async IAsyncEnumerable<SseItem<string>> StreamAsync(ConsoleUser me, ConversationSignals signals, [EnumeratorCancellation] CancellationToken aborted)
    {
        using var subscription = signals.Subscribe();
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        lifetime.CancelAfter(Lifetime);
        yield return new SseItem<string>("open", "ready") { ReconnectionInterval = TimeSpan.FromSeconds(2) };
        var reader = subscription.Changes.Reader;
        var lastSent = DateTime.MinValue;
        while (!lifetime.IsCancellationRequested)
        {
            bool heard;
            using (var beat = CancellationTokenSource.CreateLinkedTokenSource(lifetime.Token))
            {
                beat.CancelAfter(Heartbeat);
                try
                {
                    heard = await reader.WaitToReadAsync(beat.Token);
                }
                catch (OperationCanceledException)
                {
                    heard = false;
                }
            }
            if (lifetime.IsCancellationRequested)
            {
                yield break;
            }
            var mine = false;
            while (reader.TryRead(out var team))
            {
                mine |= team == ConversationSignals.AllTeams || me.MayUseTeam(team) || (team == ConversationState.NoTeam && me.IsAdmin);
            }
            if (mine)
            {
                // At most one change per MinimumGap: a burst of status changes (a busy outbox) costs each page one read
                // per gap, not one per chunk; the first change of a quiet stream goes at once.
                var wait = lastSent + MinimumGap - DateTime.UtcNow;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, CancellationToken.None); // half a second at most, even when the page goes away
                    while (reader.TryRead(out _))
                    {
                        // folded into this one
                    }
                }
                lastSent = DateTime.UtcNow;
                yield return new SseItem<string>("changed", "change");
            }
            else if (!heard)
            {
                yield return new SseItem<string>("", "ping"); // keeps proxies from closing an idle stream
            }
        }
    }
}
