using System.Threading.RateLimiting;
using Cadence.Authentication;
using Cadence.Contacts;
using Cadence.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cadence.Messages;

public sealed record SimulatorReply(string? MobileNumber, string? Body);

public sealed record SimulatedText(long Id, string DepartmentCode, string Body, string Status, DateTime CreatedAt);

/// <summary>The virtual carrier's phone: what it delivered to a number, and a way to reply as the student.</summary>
public static class SimulatorApi
{
    public static IEndpointRouteBuilder MapSimulator(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapApiGroup("/simulator/api", "Simulator")
            .AddEndpointFilter(async (context, next) =>
                context.HttpContext.RequestServices.GetRequiredService<ISmsProvider>() is SimulatorProvider
                    ? await next(context)
                    : Problems.Result(StatusCodes.Status404NotFound, "Not found", "The SMS simulator is not the provider of this server.", "simulator_off"));

        group.MapGet("/messages", async (string? mobileNumber, ApiCaller caller, CadenceDb db, CancellationToken cancellationToken) =>
        {
            if (!PhoneNumber.TryNormalize(mobileNumber, out var mobile))
            {
                throw new CadenceException($"mobileNumber is required: {PhoneNumber.Rule}.");
            }
            var teamIds = caller.TeamIds?.ToList();
            var texts = await db.Messages.AsNoTracking()
                .Where(m => m.OrganizationId == caller.OrganizationId && m.MobileNumber == mobile && m.Direction == "outbound")
                .Where(m => teamIds == null || (m.TeamId != null && teamIds.Contains(m.TeamId.Value)))
                .OrderBy(m => m.Id)
                .Select(m => new SimulatedText(m.Id, db.Teams.Where(t => t.Id == m.TeamId).Select(t => t.DepartmentCode).First(), m.Body, m.Status, m.CreatedAt))
                .ToListAsync(cancellationToken);
            return TypedResults.Ok(texts);
        }).RequireScope(Credentials.Scope.MessagesRead).WithSummary("The texts the simulated carrier took for a phone number")
          .FiltersCallerTeams("the query keeps to the caller's teams");

        // A test tool that writes rows (an inbound text, maybe a STOP that outlives everything): bounded per credential
        // in rate, and in the STOPs from strangers it may leave behind (InboundMessages).
        var settings = routes.ServiceProvider.GetRequiredService<IOptions<MessagesOptions>>().Value;
        var replies = PartitionedRateLimiter.Create<Guid, Guid>(credential => RateLimitPartition.GetFixedWindowLimiter(credential, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, settings.SimulatorRepliesPerMinute), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        routes.ServiceProvider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(replies.Dispose);

        group.MapPost("/reply", async (SimulatorReply reply, ApiCaller caller, InboundMessages inbound, CadenceDb db, CancellationToken cancellationToken) =>
        {
            using var lease = replies.AttemptAcquire(caller.CredentialId);
            if (!lease.IsAcquired)
            {
                throw new CadenceException($"The simulator takes {settings.SimulatorRepliesPerMinute} replies a minute from one credential. Try again in a minute.",
                    StatusCodes.Status429TooManyRequests, "simulator_rate_limited")
                { RetryAfter = TimeSpan.FromMinutes(1) };
            }
            var message = await inbound.ReceiveAsync(caller.OrganizationId, reply.MobileNumber, reply.Body, null, cancellationToken,
                teamId => caller.MayUseTeam(teamId), settings.SimulatorStrangerStops);
            var code = message.TeamId is null ? null : await db.Teams.Where(t => t.Id == message.TeamId).Select(t => t.DepartmentCode).SingleAsync(cancellationToken);
            return TypedResults.Ok(message.AsResponse(code));
        }).RequireScope(Credentials.Scope.MessagesSend).WithSummary("Reply as the student, e.g. STOP")
          .FiltersCallerTeams("the reply goes to a team the caller may use (InboundMessages is given MayUseTeam)");

        return routes;
    }
}
