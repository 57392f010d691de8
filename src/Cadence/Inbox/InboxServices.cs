namespace Cadence.Inbox;

/// <summary>
/// The conversations every writer of texts keeps (their signals, read and archive state, actions). The console's
/// inbox (Console/Inbox: the list, the reply form, the live stream) is built on them and adds itself.
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
