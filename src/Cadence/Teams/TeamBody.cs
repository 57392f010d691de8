using System.Text.Json;
using Cadence.Data;

namespace Cadence.Teams;

/// <summary>A request body that names the call's team by its department code (messages/CreateAndSend, bulk).</summary>
public interface INamesTeam
{
    string? DepartmentCode { get; }
}

/// <summary>
/// The front door for calls that name their team in the JSON body, as a handler parameter: the body is read, parsed
/// and its team checked (<see cref="TeamAccess"/>: 403 before 404) before the handler runs, so a handler of such a
/// call is never given the code unchecked. <c>TeamFrontDoorTests</c> fails for a call whose documented body has a
/// DepartmentCode and whose handler does not take this.
/// </summary>
public sealed class TeamBody<T> where T : class, INamesTeam
{
    public required T Request { get; init; }
    public required Team Team { get; init; }

    /// <summary>The body as sent, for what must see it whole (an Idempotency-Key's fingerprint and replay).</summary>
    public required byte[] Bytes { get; init; }

    public static async ValueTask<TeamBody<T>?> BindAsync(HttpContext http)
    {
        RequestBody.RequireJson(http.Request);
        // Bounded by the endpoint's RequestSizeLimit, which Kestrel enforces as the body is read.
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var bytes = buffer.ToArray();
        var request = Parse(bytes);
        var team = await TeamAccess.FromBodyAsync(http, http.RequestServices.GetRequiredService<CadenceDb>(), request.DepartmentCode);
        return new TeamBody<T> { Request = request, Team = team, Bytes = bytes };
    }

    static T Parse(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body, JsonSerializerOptions.Web)
                ?? throw new CadenceException("The body must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw new CadenceException(RequestErrors.Describe(e, typeof(T)));
        }
        catch (InvalidOperationException)
        {
            throw new CadenceException(RequestErrors.NotUnicode);
        }
    }
}
