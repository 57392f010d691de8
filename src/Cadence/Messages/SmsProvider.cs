using Microsoft.Extensions.Options;

namespace Cadence.Messages;

/// <summary>What a provider said of one text: sent (accepted, delivery to follow), delivered, failed or undelivered.</summary>
public sealed record SendOutcome(string Status, string? ProviderMessageId, string? Reason);

/// <summary>Hands texts to a carrier. An exception means the provider may or may not have taken the text.</summary>
public interface ISmsProvider
{
    /// <summary>True when the provider reports delivery later (status callbacks): each outcome is saved at once, so a callback finds its text.</summary>
    bool ReportsLater { get; }

    Task<SendOutcome> SendAsync(Message message, CancellationToken cancellationToken);
}

/// <summary>
/// The built-in virtual carrier, the default, so that Cadence texts out of the box: it accepts and delivers
/// at once (the messages table is its phone's inbox), except to numbers it is told to fail.
/// </summary>
public sealed class SimulatorProvider(IOptions<MessagesOptions> options) : ISmsProvider
{
    public bool ReportsLater => false;

    readonly HashSet<string> failing = [.. options.Value.SimulatorFailNumbers.Select(n => Contacts.PhoneNumber.TryNormalize(n, out var v) ? v : n)];

    public Task<SendOutcome> SendAsync(Message message, CancellationToken cancellationToken)
    {
        var id = "SIM" + Guid.NewGuid().ToString("N");
        return Task.FromResult(failing.Contains(message.MobileNumber)
            ? new SendOutcome(MessageStatus.Undelivered, id, "the simulated carrier could not deliver to this number")
            : new SendOutcome(MessageStatus.Delivered, id, null));
    }
}
