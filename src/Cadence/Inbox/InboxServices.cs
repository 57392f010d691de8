using Cadence.Messages;

namespace Cadence.Inbox;

/// <summary>
/// What staff do with the conversations the writers of texts keep (Messages: their rows and signals): read and archive
/// state, actions, templates. The console's inbox (Console/Inbox: the list, the reply form, the live stream) is built
/// on them and adds itself; the signals' cross-node loop runs for the pages that hear them.
/// </summary>
public static class InboxServices
{
    public static IServiceCollection AddInbox(this IServiceCollection services)
    {
        services.AddHostedService(sp => sp.GetRequiredService<ConversationSignals>());
        services.AddScoped<ConversationStates>();
        services.AddScoped<ConversationActions>();
        return services;
    }
}
