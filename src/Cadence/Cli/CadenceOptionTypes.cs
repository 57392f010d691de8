using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Options;

namespace Cadence.Cli;

/// <summary>
/// The options classes of Cadence's own features that the server registers (those configured through
/// <c>IOptions&lt;T&gt;</c>), so that the start reads each once: a setting that does not convert then stops the
/// start with <see cref="BadSetting"/>'s line, where a class bound on its first use would fail a request instead.
/// </summary>
public sealed record CadenceOptionTypes(IReadOnlyList<Type> Types)
{
    public static CadenceOptionTypes Of(IServiceCollection services) => new([.. services
        .Select(d => d.ServiceType)
        .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IConfigureOptions<>))
        .Select(t => t.GetGenericArguments()[0])
        // The host's own too: Cadence:ShutdownTimeout is read into it.
        .Where(t => t.Namespace?.StartsWith("Cadence", StringComparison.Ordinal) == true || t == typeof(HostOptions))
        .Distinct()]);

    /// <summary>Binds the options of <paramref name="type"/> (IOptions&lt;T&gt;.Value); the binder's own exception, if any, comes out as thrown.</summary>
    public static void Read(IServiceProvider services, Type type)
    {
        var options = services.GetRequiredService(typeof(IOptions<>).MakeGenericType(type));
        try
        {
            _ = options.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(options);
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            ExceptionDispatchInfo.Capture(inner).Throw();
        }
    }
}
