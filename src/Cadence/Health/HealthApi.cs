using Cadence.Authentication;
using Cadence.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cadence.Health;

public sealed record HealthResponse(string Status);

public static class HealthApi
{
    static readonly HealthResponse Ok = new("ok");

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        // Liveness: answers without touching the database, so a slow database does not get the node restarted.
        routes.MapGet("/healthz", () => TypedResults.Ok(Ok)).WithTags("Health").AllowAnonymous();

        routes.MapGet("/readyz", async Task<Results<Ok<HealthResponse>, ProblemHttpResult>> (CadenceDb db, CancellationToken cancellationToken) =>
            await db.Database.CanConnectAsync(cancellationToken)
                ? TypedResults.Ok(Ok)
                : Problems.Result(StatusCodes.Status503ServiceUnavailable, "Not ready", "The database cannot be reached.", "database_unreachable"))
            .WithTags("Health").AllowAnonymous();

        // The same answer as /healthz behind a credential: "do my key and secret work?"
        routes.MapApiGroup("/v2/ping", "Health").MapGet("", () => TypedResults.Ok(Ok)).TouchesNoTeam("a fixed answer");
        return routes;
    }
}
