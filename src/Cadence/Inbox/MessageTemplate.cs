using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cadence.Inbox;

/// <summary>A saved text a team's admins manage and staff insert into a reply with one click.</summary>
public sealed class MessageTemplate
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TeamId { get; set; }
    public required string Name { get; set; }
    public required string Body { get; set; }
    public DateTime CreatedAt { get; set; }

    public const int MaxNameLength = 100;
}

public sealed class MessageTemplateConfiguration : IEntityTypeConfiguration<MessageTemplate>
{
    public void Configure(EntityTypeBuilder<MessageTemplate> e)
    {
        e.HasIndex(t => new { t.TeamId, t.Name }).IsUnique();
        e.Property(t => t.Name).HasMaxLength(MessageTemplate.MaxNameLength);
        e.Property(t => t.Body).HasMaxLength(Messages.MessageText.MaxReplyLength);
        e.HasOne<Teams.Team>().WithMany().HasForeignKey(t => t.TeamId);
    }
}
