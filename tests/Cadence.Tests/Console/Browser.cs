using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(Cadence.Tests.Console.Browser))]

namespace Cadence.Tests.Console;

/// <summary>
/// One headless Debian Chromium for the whole run, driven by Playwright; each test gets its own context
/// (cookies, storage) so no test sees another's session. No browser is downloaded: without
/// /usr/bin/chromium the browser tests skip with the reason, and under CI=true they fail instead.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    IPlaywright? playwright;
    IBrowser? browser;
    string? unavailable;

    /// <summary>Where each page's screenshot is kept as a test artifact.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            unavailable = $"Chromium is not installed at {ChromiumPath} (apt-get install chromium).";
            return;
        }
        // Expect retries until this long: pages wait on a busy two-core machine, and on the delivery worker.
        Assertions.SetDefaultExpectTimeout(15_000);
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>A fresh browser context on the app, with clipboard access for the copy buttons.</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress)
    {
        if (browser is null)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail("CI=true, so browser tests may not be skipped: " + unavailable);
            }
            Assert.Skip(unavailable!);
        }
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString().TrimEnd('/'),
            Permissions = ["clipboard-read", "clipboard-write"],
            ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
        });
        // Generous: CI runs the whole suite on two shared cores, servers and Chromium side by side.
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(30_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }
        playwright?.Dispose();
    }
}

public static class PageExtensions
{
    /// <summary>Saves what the page shows now, named after the test and the step.</summary>
    public static Task ScreenshotAsync(this IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.ScreenshotDirectory, name + ".png"), FullPage = true });
}
