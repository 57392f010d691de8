using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cadence.Email;

/// <summary>Who in a team hears about what by email (set on the team's notification page in the console).</summary>
public sealed class TeamEmailSettings
{
    public const int MaxAddresses = 10;

    public Guid TeamId { get; set; }

    /// <summary>The addresses, one per line (each checked by <see cref="EmailAddress"/>).</summary>
    public string Addresses { get; set; } = "";

    /// <summary>A contact's opt-out status changed by the student (STOP/START) or by a user in the console.</summary>
    public bool OptOutChanges { get; set; }

    /// <summary>A text from a number that is no contact of the team.</summary>
    public bool UnknownNumbers { get; set; }
    public DateTime UpdatedAt { get; set; }

    public IReadOnlyList<string> AddressList => Addresses.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public sealed class TeamEmailSettingsConfiguration : IEntityTypeConfiguration<TeamEmailSettings>
{
    public void Configure(EntityTypeBuilder<TeamEmailSettings> e)
    {
        e.HasKey(s => s.TeamId);
        e.Property(s => s.Addresses).HasMaxLength(TeamEmailSettings.MaxAddresses * (EmailAddress.MaxLength + 1));
        e.HasOne<Cadence.Teams.Team>().WithMany().HasForeignKey(s => s.TeamId);
    }
}
