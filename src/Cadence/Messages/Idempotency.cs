using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Cadence.Authentication;
using Cadence.Data;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Messages;

/// <summary>
/// Idempotency-Key (per credential, kept at least 24 hours): a repeat returns the original answer and texts
/// nobody again; the same key with a different body is a 422. The answer is stored in the same transaction
/// as the messages it describes, so a crash cannot separate them.
/// </summary>
public static class Idempotency
{
    public const string Header = "Idempotency-Key";
    public static readonly TimeSpan Kept = TimeSpan.FromHours(48);

    public static async Task<IdempotentAnswer<T>> RunAsync<T>(HttpContext http, CadenceDb db, byte[] body, TimeProvider time, Func<Task<T>> send)
        where T : notnull
    {
        var caller = http.ApiCaller();
        var key = http.Request.Headers[Header].ToString();
        if (key.Length > 255)
        {
            throw new CadenceException("An Idempotency-Key has at most 255 characters.");
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData([.. System.Text.Encoding.UTF8.GetBytes(http.Request.Path.Value ?? ""), .. body]));
        var cancellationToken = http.RequestAborted;
        if (key.Length > 0)
        {
            var earlier = await db.IdempotencyRecords.AsNoTracking().SingleOrDefaultAsync(r => r.CredentialId == caller.CredentialId && r.Key == key, cancellationToken);
            if (earlier is not null)
            {
                if (earlier.RequestHash != hash)
                {
                    throw new CadenceException($"The Idempotency-Key '{key}' was used for a different request. Use a new key for a new request.",
                        StatusCodes.Status422UnprocessableEntity);
                }
                http.Response.Headers["Idempotent-Replayed"] = "true";
                return new(Results.Content(earlier.ResponseBody, "application/json", statusCode: earlier.StatusCode));
            }
        }

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var response = await send();
            var json = JsonSerializer.Serialize(response, response.GetType(), JsonSerializerOptions.Web);
            if (key.Length > 0)
            {
                db.IdempotencyRecords.Add(new IdempotencyRecord
                {
                    CredentialId = caller.CredentialId, Key = key, RequestHash = hash, StatusCode = 200, ResponseBody = json,
                    CreatedAt = time.GetUtcNow().UtcDateTime,
                });
                // A concurrent request with the same key loses here on the unique index and gets a 409.
                await db.SaveChangesAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            return new IdempotentAnswer<T>(Results.Content(json, "application/json", statusCode: 200));
        });
    }
}

/// <summary>
/// A send's answer as JSON text (stored for a replay and written as it is, replayed or new); its OpenAPI success
/// type is <typeparamref name="T"/>, taken from the handler's signature like a typed result's.
/// </summary>
public sealed class IdempotentAnswer<T>(IResult text) : IResult, IEndpointMetadataProvider
{
    public Task ExecuteAsync(HttpContext http) => text.ExecuteAsync(http);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
}
