using Cadence.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cadence.Webhooks;

/// <summary>A campus system's URL that hears about events of some types, from some teams (none: every team).</summary>
public sealed class WebhookEndpoint
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>"whk_" and 16 base62 characters: how the console and CLI name it.</summary>
    public required string PublicId { get; set; }
    public Guid OrganizationId { get; set; }
    public required string Url { get; set; }

    /// <summary>The event types it receives, comma-separated (a handful of short names).</summary>
    public required string EventTypes { get; set; }
    public List<WebhookEndpointTeam> Teams { get; set; } = [];
    public bool Enabled { get; set; } = true;
    public string? DisabledReason { get; set; }

    /// <summary>The signing secret sealed with a key derived from the pepper: it must be read back to sign.</summary>
    public required string SecretSealed { get; set; }

    /// <summary>The secret before the last roll, still signed with until <see cref="PreviousSecretUntil"/>.</summary>
    public string? PreviousSecretSealed { get; set; }
    public DateTime? PreviousSecretUntil { get; set; }

    /// <summary>When the current run of failed attempts began; null after a success. Three days of it disables the endpoint.</summary>
    public DateTime? FailingSince { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }

    public IReadOnlyList<string> Types => EventTypes.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public bool Wants(Events.Event e) =>
        Enabled && Types.Contains(e.Type) && (Teams.Count == 0 || (e.TeamId is { } team && Teams.Any(t => t.TeamId == team)));
}

public sealed class WebhookEndpointTeam
{
    public Guid EndpointId { get; set; }
    public Guid TeamId { get; set; }
    public Team? Team { get; set; }
}

sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> e)
    {
        e.ToTable("WebhookEndpoints");
        e.HasIndex(x => x.PublicId).IsUnique();
        e.HasIndex(x => x.OrganizationId);
        e.Property(x => x.PublicId).HasMaxLength(20);
        e.Property(x => x.Url).HasMaxLength(WebhookUrl.MaxLength);
        e.Property(x => x.EventTypes).HasMaxLength(400);
        e.Property(x => x.DisabledReason).HasMaxLength(300);
        e.Property(x => x.SecretSealed).HasMaxLength(200);
        e.Property(x => x.PreviousSecretSealed).HasMaxLength(200);
        e.Property(x => x.CreatedBy).HasMaxLength(300);
        e.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId);
        e.HasMany(x => x.Teams).WithOne().HasForeignKey(t => t.EndpointId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class WebhookEndpointTeamConfiguration : IEntityTypeConfiguration<WebhookEndpointTeam>
{
    public void Configure(EntityTypeBuilder<WebhookEndpointTeam> e)
    {
        e.ToTable("WebhookEndpointTeams");
        e.HasKey(x => new { x.EndpointId, x.TeamId });
        e.HasOne(x => x.Team).WithMany().HasForeignKey(x => x.TeamId);
    }
}

/// <summary>An endpoint as the CLI prints it: never its secret.</summary>
public sealed record WebhookResponse(string Id, string Url, IReadOnlyList<string> Events, IReadOnlyList<string> Teams, bool Enabled,
    string? DisabledReason, DateTime CreatedAt, string CreatedBy);

/// <summary>An endpoint just added or rolled, with the secret shown this once.</summary>
public sealed record IssuedWebhookResponse(string Id, string Url, IReadOnlyList<string> Events, IReadOnlyList<string> Teams, string Secret);

public static class WebhookResponses
{
    public static IReadOnlyList<string> TeamCodes(this WebhookEndpoint e) => [.. e.Teams.Select(t => t.Team!.DepartmentCode).Order()];

    public static WebhookResponse AsResponse(this WebhookEndpoint e) =>
        new(e.PublicId, e.Url, e.Types, e.TeamCodes(), e.Enabled, e.DisabledReason, e.CreatedAt, e.CreatedBy);

    public static IssuedWebhookResponse AsResponse(this IssuedWebhook issued) =>
        new(issued.Endpoint.PublicId, issued.Endpoint.Url, issued.Endpoint.Types, issued.Endpoint.TeamCodes(), issued.Secret);
}
