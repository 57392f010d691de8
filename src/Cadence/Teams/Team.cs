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

/// <summary>A team ("department"): the tenancy boundary for contacts, opt-outs and messages.</summary>
public sealed class Team
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public required string DepartmentCode { get; set; }
    public required string Name { get; set; }
    public DateTime CreatedAt { get; set; }

    public TeamResponse AsResponse() => new(DepartmentCode, Name);
}

public sealed record TeamResponse(string DepartmentCode, string Name);
