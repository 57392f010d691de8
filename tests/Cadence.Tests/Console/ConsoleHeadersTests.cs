using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Console;

/// <summary>What the console's pages say about caching, and that saying it costs no log line per page view.</summary>
public sealed class ConsoleHeadersTests
{
    [Fact]
    public async Task APageWithAFormIsNeverCachedAndWritesNoWarningPerView()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        using var forms = new ConsoleForms(app.Address);
        await forms.LoadAsync();

        var response = await forms.GetAsync("/login");

        Assert.True(response.Headers.CacheControl is { NoStore: true, NoCache: true }, $"Cache-Control: {response.Headers.CacheControl}");
        // The antiforgery token's page must not be cached; when the page said only no-store, ASP.NET Core rewrote the
        // header and logged a warning for every page with a form.
        Assert.DoesNotContain(app.Logs.Lines, line => line.StartsWith("Warning Microsoft.AspNetCore.Antiforgery", StringComparison.Ordinal));
    }
}
