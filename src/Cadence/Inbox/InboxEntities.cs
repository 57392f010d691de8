using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cadence.Inbox;

/// <summary>
/// A team's state of one conversation, shared by everyone in the team: how far it has been read and whether it
/// is archived. A conversation is a contact, or a number that is no contact (<see cref="ConversationKey"/>).
/// </summary>
public sealed class ConversationState
{
    /// <summary>The team, or <see cref="NoTeam"/> for a number no team knows.</summary>
    public Guid TeamId { get; set; }
    public required string Key { get; set; }

    /// <summary>Read up to this message id: an inbound text above it is unread.</summary>
    public long ReadThroughId { get; set; }

    /// <summary>Archived at this message id; out of the inbox until an inbound text comes after it.</summary>
    public long? ArchivedThroughId { get; set; }
    public DateTime UpdatedAt { get; set; }

    public static readonly Guid NoTeam = Guid.Empty;
}

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

/// <summary>The inbox's tables, applied from CadenceDb.OnModelCreating.</summary>
public sealed class ConversationStateConfiguration : IEntityTypeConfiguration<ConversationState>
{
    public void Configure(EntityTypeBuilder<ConversationState> e)
    {
        e.HasKey(s => new { s.TeamId, s.Key });
        e.Property(s => s.Key).HasMaxLength(40);
    }
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

/// <summary>Names a conversation: a contact's id, or the digits of a number that is no contact (for URLs and state).</summary>
public static class ConversationKey
{
    public static string For(Guid? contactId, string mobileNumber) =>
        contactId is { } id ? id.ToString("N") : new string([.. mobileNumber.Where(char.IsAsciiDigit)]);

    /// <summary>A contact id, or else a normalised number; false for neither.</summary>
    public static bool TryParse(string? key, out Guid contactId, out string mobileNumber)
    {
        mobileNumber = "";
        if (Guid.TryParse(key, out contactId))
        {
            return true;
        }
        return Contacts.PhoneNumber.TryNormalize(key, out mobileNumber);
    }
}
