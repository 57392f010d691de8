namespace Cadence.Teams;

/// <summary>
/// The team a call behind <see cref="TeamFrontDoor"/> is for, as a handler parameter. Minimal APIs bind it before
/// endpoint filters run, so it reads the team when the handler asks, which is after the front door found it.
/// </summary>
public sealed class CallerTeam
{
    readonly HttpContext http;

    CallerTeam(HttpContext http) => this.http = http;

    public Team Team => http.Features.Get<Found>()?.Team
        ?? throw new InvalidOperationException("The endpoint takes a CallerTeam but is not behind the team front door (MapTeamGroup).");

    public static ValueTask<CallerTeam?> BindAsync(HttpContext http) => ValueTask.FromResult<CallerTeam?>(new CallerTeam(http));

    /// <summary>The request feature the front door sets.</summary>
    internal sealed record Found(Team Team);
}
