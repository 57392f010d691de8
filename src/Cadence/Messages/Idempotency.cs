using System.Security.Cryptography;
using System.Text.Json;
using Cadence.Authentication;
using Cadence.Data;
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

    public static async Task<IResult> RunAsync(HttpContext http, CadenceDb db, byte[] body, TimeProvider time, Func<Task<object>> send)
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
                return Results.Content(earlier.ResponseBody, "application/json", statusCode: earlier.StatusCode);
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
            return Results.Content(json, "application/json", statusCode: 200);
        });
    }
}
