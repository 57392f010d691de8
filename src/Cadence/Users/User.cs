namespace Cadence.Users;

/// <summary>A person who signs in to the console. Owners administer the whole organization.</summary>
public sealed class User
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public required string Email { get; set; }
    public string Name { get; set; } = "";
    public required string StaffId { get; set; }
    public required string PasswordHash { get; set; }
    public bool IsOwner { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? DisabledAt { get; set; }

    /// <summary>The OpenID Connect identity this user signs in as (issuer and subject), stored at the first match by email.</summary>
    public string? SsoIssuer { get; set; }
    public string? SsoSubject { get; set; }
    public List<TeamMembership> Memberships { get; set; } = [];
}

public enum TeamRole { User, Admin }

public sealed class TeamMembership
{
    public Guid UserId { get; set; }
    public Guid TeamId { get; set; }
    public TeamRole Role { get; set; }
}
