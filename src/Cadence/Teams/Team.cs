namespace Cadence.Teams;

/// <summary>The institution a deployment serves. There is exactly one per deployment.</summary>
public sealed class Organization
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>A fingerprint of the secret pepper, so a node started with a different pepper refuses to run.</summary>
    public required string PepperCheck { get; set; }
}

/// <summary>
/// A team ("department"): the tenancy boundary for contacts, opt-outs and messages. Never changed once added (its
/// properties are init-only), which is what lets each node keep the teams it found (<see cref="KnownTeams"/>).
/// </summary>
public sealed class Team
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; init; }
    public required string DepartmentCode { get; init; }
    public required string Name { get; init; }

    /// <summary>An IANA time zone; bulk sends keep quiet hours (22:00–06:00) in it.</summary>
    public string TimeZone { get; init; } = DefaultTimeZone;
    public DateTime CreatedAt { get; init; }

    public const string DefaultTimeZone = "America/New_York";

    public TeamResponse AsResponse() => new(DepartmentCode, Name, TimeZone);
}

public sealed record TeamResponse(string DepartmentCode, string Name, string TimeZone);
