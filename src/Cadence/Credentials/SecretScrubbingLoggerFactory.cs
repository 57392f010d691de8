using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Cadence.Credentials;

/// <summary>
/// The logger factory, with every log line checked for secret-shaped text first. Cadence never logs a secret
/// itself, but ASP.NET Core logs request URLs, and a client may put its secret in one by mistake.
/// </summary>
public sealed class SecretScrubbingLoggerFactory(
    IEnumerable<ILoggerProvider> providers, IOptionsMonitor<LoggerFilterOptions> filters, IOptions<LoggerFactoryOptions> options)
    : ILoggerFactory
{
    readonly LoggerFactory inner = new(providers, filters, options);
    // Authentication handlers are made per request and ask for their logger each time.
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, ILogger> loggers = new();

    public ILogger CreateLogger(string categoryName) =>
        loggers.GetOrAdd(categoryName, static (name, factory) => new ScrubbingLogger(factory.CreateLogger(name)), inner);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    sealed class ScrubbingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }
            var message = formatter(state, exception);
            if (!SecretFormat.ContainsSecret(message) && !HasSecretValue(state) && !SecretFormat.ContainsSecret(exception?.ToString()))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }
            // The structured values go too: any of them may hold the secret.
            var scrubbedException = exception is null ? null : new Exception(SecretFormat.Scrub(exception.ToString()));
            inner.Log(logLevel, eventId, SecretFormat.Scrub(message), scrubbedException, static (text, _) => text);
        }

        static bool HasSecretValue<TState>(TState state) =>
            state is IEnumerable<KeyValuePair<string, object?>> values && values.Any(v => SecretFormat.ContainsSecret(v.Value?.ToString()));
    }
}

public static class SecretScrubbing
{
    /// <summary>The server's logger factory becomes <see cref="SecretScrubbingLoggerFactory"/>: every log line, the framework's too, is scrubbed.</summary>
    public static IServiceCollection AddSecretScrubbing(this IServiceCollection services) =>
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory, SecretScrubbingLoggerFactory>());
}
