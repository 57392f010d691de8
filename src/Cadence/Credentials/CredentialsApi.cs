using System.Text.Json;
using Cadence.Audit;
using Cadence.Authentication;
using Cadence.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Credentials;

/// <summary>Secrets presented for revocation, as GitHub's credential revocation API takes tokens.</summary>
public sealed record RevokeSecretsRequest(string[]? Secrets);

/// <summary>The answer to a revocation, the same whatever matched.</summary>
public sealed record RevokeSecretsAnswer(string Message);

/// <summary>What a credential may learn about itself. Never the secret.</summary>
public sealed record CredentialSelfResponse(string Key, string Name, string[] Scopes, string[] Teams, DateTime? ExpiresAt, int RateLimit);

public static class CredentialsApi
{
    public static IEndpointRouteBuilder MapCredentials(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapApiGroup("/v2/credentials", "Credentials");

        group.MapGet("/self", (ApiCaller caller) =>
        {
            return TypedResults.Ok(new CredentialSelfResponse(
                caller.Key, caller.Name, [.. Scope.All.Where(caller.Scopes.Contains)],
                caller.TeamCodes is null ? ["*"] : [.. caller.TeamCodes.Order()],
                caller.ExpiresAt, caller.RateLimit));
        }).WithSummary("The credential making the request: name, key, scopes, teams, expiry and rate limit")
          .TouchesNoTeam("the caller's own credential");

        // The leak response: no credential needed, the secrets are the proof.
        routes.MapPost("/v2/credentials/revoke", RevokeBySecretAsync).AllowAnonymous().WithTags("Credentials")
            .WithMetadata(new RequestSizeLimitAttribute(64 * 1024))
            .WithBody<RevokeSecretsRequest>("application/json")
            .WithSummary("Stop leaked secrets by presenting them (no credential needed); always 202, so it tells nothing about a secret");

        return routes;
    }

    public const int MaxSecretsPerRevocation = 100;

    static readonly RevokeSecretsAnswer Stopped = new("Every secret presented that still worked has stopped working.");

    static async Task<Results<Accepted<RevokeSecretsAnswer>, ProblemHttpResult>> RevokeBySecretAsync(
        HttpContext http, CadenceDb db, LeakedSecrets leaked, FailureThrottle throttle, CancellationToken cancellationToken)
    {
        var address = http.Connection.RemoteIpAddress;
        if (throttle.RetryAfter(address) is { } wait)
        {
            return RetryAfter.Problem(http.Response, wait, StatusCodes.Status429TooManyRequests, "Too many attempts",
                "Too many requests from this address matched nothing. Wait for the time in Retry-After.", "auth_throttled");
        }
        RequestBody.RequireJson(http.Request);
        RevokeSecretsRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<RevokeSecretsRequest>(http.Request.Body, JsonSerializerOptions.Web, cancellationToken);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new CadenceException("Send a JSON object: {\"secrets\": [\"cds_…\"]}.");
        }
        var secrets = request?.Secrets ?? [];
        if (secrets.Length is 0 or > MaxSecretsPerRevocation || secrets.Any(s => s is null || s.Length > 200))
        {
            throw new CadenceException($"Send 1 to {MaxSecretsPerRevocation} secrets: {{\"secrets\": [\"cds_…\"]}}.");
        }
        var organization = await db.Organizations.SingleAsync(cancellationToken);
        var actor = new Actor("secret-holder", address?.ToString());
        var stopped = false;
        foreach (var secret in secrets.Select(s => s.Trim()).Distinct(StringComparer.Ordinal))
        {
            var found = await leaked.StopAsync(organization.Id, new ApiSecret(secret), "leaked: revoked by presenting the secret to the API", actor, cancellationToken);
            stopped |= found.Works;
        }
        if (!stopped)
        {
            // Nothing stopped (unknown secrets, or ones already dead): a failed try, as a wrong secret is when signing
            // in, so that a dead secret added to every request cannot make this an unthrottled probe.
            throttle.RecordFailure(address);
        }
        return TypedResults.Accepted((string?)null, Stopped);
    }
}
