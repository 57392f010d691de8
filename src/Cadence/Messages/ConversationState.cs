using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cadence.Messages;

/// <summary>
/// A team's state of one conversation, shared by everyone in the team: how far it has been read and whether it
/// is archived. A conversation is a contact (MobileNumber ""), or a number that is no contact (ContactId
/// <see cref="Guid.Empty"/>): no column is null, so the three make the key on both databases. With the texts: every
/// writer of texts keeps its latest ones in its own transaction; the inbox (Inbox, Console/Inbox) reads it and sets
/// the read and archive parts.
/// </summary>
public sealed class ConversationState
{
    /// <summary>The team, or <see cref="NoTeam"/> for a number no team knows.</summary>
    public Guid TeamId { get; set; }
    public Guid ContactId { get; set; }
    public string MobileNumber { get; set; } = "";

    /// <summary>Read up to this message id: an inbound text above it is unread.</summary>
    public long ReadThroughId { get; set; }

    /// <summary>Archived at this message id; out of the inbox until an inbound text comes after it.</summary>
    public long? ArchivedThroughId { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>The conversation's latest text (0: none yet), kept by <see cref="ConversationActivity"/> as texts are written.</summary>
    public long LastMessageId { get; set; }

    /// <summary>Its latest text from the student (0: none).</summary>
    public long LastInboundId { get; set; }

    public static readonly Guid NoTeam = Guid.Empty;
}

public sealed class ConversationStateConfiguration : IEntityTypeConfiguration<ConversationState>
{
    public void Configure(EntityTypeBuilder<ConversationState> e)
    {
        e.HasKey(s => new { s.TeamId, s.ContactId, s.MobileNumber });
        e.Property(s => s.MobileNumber).HasMaxLength(32);
        e.HasIndex(s => new { s.TeamId, s.LastMessageId }); // the inbox: a team's conversations, latest first
    }
}

/// <summary>Names a conversation: its team (or none), and a contact or else a number that is no contact.</summary>
public readonly record struct ConversationRef(Guid TeamId, Guid ContactId, string MobileNumber)
{
    public bool IsContact => ContactId != Guid.Empty;

    /// <summary>The URL's name for it: the contact's id, or the number's digits.</summary>
    public string Key => IsContact ? ContactId.ToString("N") : new string([.. MobileNumber.Where(char.IsAsciiDigit)]);

    public static ConversationRef Of(Message m) =>
        new(m.TeamId ?? ConversationState.NoTeam, m.ContactId ?? Guid.Empty, m.ContactId is null ? m.MobileNumber : "");

    /// <summary>Reads a URL's key: a contact id, or else a number.</summary>
    public static bool TryParse(Guid teamId, string? key, out ConversationRef conversation)
    {
        conversation = default;
        if (Guid.TryParse(key, out var contactId))
        {
            conversation = new(teamId, contactId, "");
            return true;
        }
        if (Contacts.PhoneNumber.TryNormalize(key, out var number))
        {
            conversation = new(teamId, Guid.Empty, number);
            return true;
        }
        return false;
    }
}
