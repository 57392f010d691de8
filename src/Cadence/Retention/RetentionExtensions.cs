namespace Cadence.Retention;

public static class RetentionExtensions
{
    /// <summary>The daily retention job and its Cadence:Retention settings, checked at start (a bad value stops it with its name).</summary>
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration)
    {
        // RetentionSettings.Validate throws a CadenceException naming the key, which the start reports as it is.
        services.AddOptions<RetentionSettings>().Bind(configuration.GetSection("Cadence:Retention"))
            .Validate(r => { r.Validate(); return true; }).ValidateOnStart();
        services.AddSingleton<RetentionJob>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionJob>());
        return services;
    }
}
