using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Cadence.Tests.Infrastructure;
using Cadence.Users;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cadence.Tests.Console.Sso;

/// <summary>The framework's protections and the answers when the protocol goes wrong: a page that says so, never a 500.</summary>
public sealed class SsoProtocolTests(Browser browser)
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    const string DidNotComplete = "Sign-in with Campus Login did not complete";

    [Fact]
    public async Task SsoQueryStartsAtTheProviderAtOnce()
    {
        await using var sso = await SsoConsole.StartAsync(browser);
        await sso.Page.GotoAsync("/login?sso=1");
        await Expect(sso.Page.GetByRole(AriaRole.Button, new() { Name = "Continue at the provider" })).ToBeVisibleAsync();
        Assert.StartsWith(sso.Provider.Address.ToString(), sso.Page.Url);
    }

    [Fact]
    public async Task ATamperedStateIsRefused()
    {
        await using var sso = await SsoConsole.StartAsync(browser);
        await AddSamAsync(sso);
        var callback = Capture(sso.Page);
        await SsoConsole.SignInAsync(sso.Page);
        var (url, cookies) = await callback.Task.WaitAsync(Deadline, TestContext.Current.CancellationToken);

        // The same answer with its correlation and nonce cookies, but one character of the state changed.
        var state = Regex.Match(url, "state=([^&]+)").Groups[1].Value;
        var tampered = url.Replace(state, state[..20] + (state[20] == 'A' ? 'B' : 'A') + state[21..]);
        var other = await BrowserWithAsync(sso, cookies);
        var answer = await other.GotoAsync(tampered);

        Assert.Equal(400, answer!.Status);
        await Expect(other.GetByRole(AriaRole.Heading, new() { Name = DidNotComplete })).ToBeVisibleAsync();
        Assert.Contains(sso.Console.App.Logs.Lines, l => l.Contains("failed: Unable to unprotect the message.State"));
        await other.GotoAsync("/api");
        await Expect(other).ToHaveURLAsync(new Regex("/login"));
        await other.Context.DisposeAsync();
    }

    [Fact]
    public async Task AReplayedCodeIsRefusedByTheProvider()
    {
        await using var sso = await SsoConsole.StartAsync(browser);
        await AddSamAsync(sso);
        var callback = Capture(sso.Page);
        await SsoConsole.SignInAsync(sso.Page);
        var (url, cookies) = await callback.Task.WaitAsync(Deadline, TestContext.Current.CancellationToken);

        // Another browser with the same answer and the same correlation and nonce cookies: only the code's single use is left to stop it.
        var thief = await BrowserWithAsync(sso, cookies);
        var answer = await thief.GotoAsync(url);

        Assert.Equal(400, answer!.Status);
        await Expect(thief.GetByRole(AriaRole.Heading, new() { Name = DidNotComplete })).ToBeVisibleAsync();
        Assert.Contains(sso.Console.App.Logs.Lines, l => l.Contains("invalid_grant"));
        Assert.Single(await sso.AuditAsync("user.signed_in"), a => a.Target == "sam@college.edu");
        await thief.Context.DisposeAsync();
    }

    [Fact]
    public async Task AProviderThatIsDownGivesAClearPage()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await using var console = await ConsoleApp.StartAsync(browser, settings: new()
        {
            ["Cadence:Sso:Authority"] = $"http://127.0.0.1:{port}/", ["Cadence:Sso:ClientId"] = "cadence", ["Cadence:Sso:DisplayName"] = "Campus Login",
        });

        var answer = await console.Page.GotoAsync("/login?sso=1");

        Assert.Equal(503, answer!.Status);
        await Expect(console.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Campus Login is not answering");
        await ConsoleApp.SubmitSignInAsync(console.Page, ConsoleApp.OwnerEmail, ConsoleApp.Password);
        await Expect(console.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }

    static Task<User> AddSamAsync(SsoConsole sso)
    {
        sso.Provider.Identity.Email = "sam@college.edu";
        return sso.Console.AddUserAsync("sam@college.edu", "S100", UserRole.Owner, null);
    }

    /// <summary>
    /// The provider's redirect back to Cadence (code and state) and the browser's cookies at that moment. Seen as a
    /// request event: Playwright's routes are not called for the steps of a redirect chain.
    /// </summary>
    static TaskCompletionSource<(string Url, IReadOnlyList<BrowserContextCookiesResult> Cookies)> Capture(IPage page)
    {
        var seen = new TaskCompletionSource<(string, IReadOnlyList<BrowserContextCookiesResult>)>();
        page.Request += async (_, request) =>
        {
            if (request.Url.Contains("/signin-oidc?"))
            {
                seen.TrySetResult((request.Url, await page.Context.CookiesAsync()));
            }
        };
        return seen;
    }

    static async Task<IPage> BrowserWithAsync(SsoConsole sso, IReadOnlyList<BrowserContextCookiesResult> cookies)
    {
        var page = await sso.NewPageAsync(sso.Browser);
        await page.Context.AddCookiesAsync(cookies.Where(c => c.Name.StartsWith(".AspNetCore.", StringComparison.Ordinal))
            .Select(c => new Microsoft.Playwright.Cookie { Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, SameSite = c.SameSite }));
        return page;
    }
}
