using System.Net;
using System.Text.RegularExpressions;
using Cadence.Tests.Infrastructure;
using Cadence.Users;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cadence.Tests.Console;

public sealed partial class SignInTests(Browser browser)
{
    [Fact]
    public async Task ASignedOutVisitorIsSentToSignInAndLandsInTheConsole()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        var page = console.Page;

        var response = await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/login"));
        Assert.Contains("script-src 'self'", response!.Headers["content-security-policy"]);
        Assert.Contains("frame-ancestors 'none'", response.Headers["content-security-policy"]);
        await page.ScreenshotAsync("sign-in");
        await console.SignInAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/api$"));
    }

    [Fact]
    public async Task ThePrintedSetupLinkCreatesTheOwnerOnce()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        await using var server = await ServerProcess.StartAsync(database, "--Logging:LogLevel:Default=Warning");
        var link = await PrintedLinkAsync(server);
        var page = await browser.NewPageAsync(server.Address);

        await page.GotoAsync(link);
        await page.ScreenshotAsync("setup");
        await page.GetByLabel("Name").FillAsync("Olive Owner");
        await page.GetByLabel("Email").FillAsync("olive@college.edu");
        await page.GetByLabel("Staff ID").FillAsync("S001");
        await page.GetByLabel("Password").FillAsync("a long enough password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create owner" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Olive Owner")).ToBeVisibleAsync();

        var second = await page.GotoAsync(link);
        Assert.Equal(404, second!.Status);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("already used");
        Assert.Equal(0, await page.GetByLabel("Password").CountAsync());
        await page.Context.DisposeAsync();
    }

    [Fact]
    public async Task EachStartWithoutAnOwnerPrintsANewLinkAndOnlyTheNewestWorks()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        string first;
        await using (var server = await ServerProcess.StartAsync(database, "--Logging:LogLevel:Default=Warning"))
        {
            first = await PrintedLinkAsync(server);
        }
        await using var again = await ServerProcess.StartAsync(database, "--Logging:LogLevel:Default=Warning");
        var second = await PrintedLinkAsync(again);
        var page = await browser.NewPageAsync(again.Address);

        Assert.NotEqual(first, second);
        Assert.Equal(404, (await page.GotoAsync(new Uri(again.Address, new Uri(first).PathAndQuery).ToString()))!.Status);
        Assert.Equal(200, (await page.GotoAsync(second))!.Status);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create owner" })).ToBeVisibleAsync();
        await page.Context.DisposeAsync();
    }

    static async Task<string> PrintedLinkAsync(ServerProcess server)
    {
        string? link = null;
        Assert.True(await Eventually.TrueAsync(() =>
        {
            link = SetupLink().Match(server.Output) is { Success: true } m ? m.Value : null;
            return Task.FromResult(link is not null);
        }, TimeSpan.FromSeconds(10)), server.Output);
        return link!;
    }

    [Fact]
    public async Task AUserCannotReachTheApiPage()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        await console.App.AddTeamAsync("SS");
        await console.AddUserAsync("ursula@college.edu", "S100", UserRole.User, "SS");
        await console.SignInAsync("ursula@college.edu");

        await Expect(console.Page.GetByRole(AriaRole.Link, new() { Name = "API" })).ToHaveCountAsync(0);
        var response = await console.Page.GotoAsync("/api");
        Assert.Equal(403, response!.Status);
        await Expect(console.Page.GetByRole(AriaRole.Heading)).ToContainTextAsync("do not have access");
    }

    [Fact]
    public async Task AFormPostedWithoutItsAntiforgeryTokenIsRefused()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        await console.SignInAsync();

        // The signed-in browser posts the create form, but from a page that has no token (as a forged form would).
        var response = await console.Page.APIRequest.PostAsync("/api?handler=Create", new()
        {
            Form = console.Page.APIRequest.CreateFormData().Set("Name", "Forged").Set("Scopes", "contacts:read"),
        });
        Assert.Equal(400, response.Status);
        var list = await console.App.CliAsync("credentials", "list", "--json");
        Assert.DoesNotContain("Forged", list.Out);
    }

    [Fact]
    public async Task FiveWrongPasswordsSlowTheNextTry()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        var page = console.Page;
        await page.GotoAsync("/login");
        for (var i = 0; i < 5; i++)
        {
            await ConsoleApp.SubmitSignInAsync(page, ConsoleApp.OwnerEmail, "wrong password " + i);
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("do not match");
        }

        // Even the right password waits now.
        await ConsoleApp.SubmitSignInAsync(page, ConsoleApp.OwnerEmail, ConsoleApp.Password);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Try again in 30 seconds");
        await page.ScreenshotAsync("sign-in-throttled");

        console.App.Time.Advance(TimeSpan.FromSeconds(31));
        await console.SignInAsync();
    }

    [Fact]
    public async Task SigningOutEndsTheSessionEvenForACopiedCookie()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        await console.SignInAsync();
        var cookies = await console.Page.Context.CookiesAsync();
        var session = cookies.Single(c => c.Name == "cadence_console");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);

        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(console.Page).ToHaveURLAsync(new Regex("/login"));

        await AssertSentToSignInAsync(console.App, "/contacts", "Cookie", $"{session.Name}={session.Value}");
    }

    [Fact]
    public async Task ASessionEndsTwelveHoursAfterSignIn()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        await console.SignInAsync();
        console.App.Time.Advance(TimeSpan.FromHours(11));
        await console.Page.GotoAsync("/teams");
        await Expect(console.Page).ToHaveURLAsync(new Regex("/teams$"));

        console.App.Time.Advance(TimeSpan.FromHours(1));
        await console.Page.GotoAsync("/teams");
        await Expect(console.Page).ToHaveURLAsync(new Regex("/login"));
    }

    [Fact]
    public async Task AConsoleCookieDoesNotCallTheClientApiAndACredentialDoesNotOpenTheConsole()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        await console.SignInAsync();
        var api = await console.Page.APIRequest.GetAsync("/v2/teams");
        Assert.Equal(401, api.Status);

        var credential = await console.App.CreateCredentialAsync();
        await AssertSentToSignInAsync(console.App, "/api", "Authorization", console.App.Http(credential).DefaultRequestHeaders.Authorization!.ToString());
    }

    [Fact]
    public async Task ChangingThePasswordNeedsTheCurrentOneAndEndsTheOtherSessions()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        var other = await browser.NewPageAsync(console.App.Address);
        await ConsoleApp.SignInAsync(other, ConsoleApp.OwnerEmail);
        var page = console.Page;
        await console.SignInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Olive Owner" }).ClickAsync();

        await page.GetByLabel("Current password").FillAsync("not the password");
        await page.GetByLabel("New password").FillAsync("a brand new passphrase");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("current password is not right");

        await page.GetByLabel("Current password").FillAsync(ConsoleApp.Password);
        await page.GetByLabel("New password").FillAsync("a brand new passphrase");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your password is changed");
        await page.ScreenshotAsync("account");

        // This browser stays signed in; the other one is signed out; only the new password works.
        await page.GotoAsync("/teams");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        await other.GotoAsync("/teams");
        await Expect(other).ToHaveURLAsync(new Regex("/login"));
        await ConsoleApp.SubmitSignInAsync(other, ConsoleApp.OwnerEmail, ConsoleApp.Password);
        await Expect(other.GetByRole(AriaRole.Alert)).ToContainTextAsync("do not match");
        await ConsoleApp.SignInAsync(other, ConsoleApp.OwnerEmail, "a brand new passphrase");
        await other.Context.DisposeAsync();
    }

    /// <summary>Requests a page with the given header, as a client that does not follow redirects, and expects the sign-in page.</summary>
    static async Task AssertSentToSignInAsync(CadenceApp app, string path, string header, string value)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.Address };
        client.DefaultRequestHeaders.TryAddWithoutValidation(header, value);
        var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/login", response.Headers.Location!.ToString());
    }

    [GeneratedRegex(@"http://\S+/setup\?token=[0-9a-f]{64}")]
    private static partial Regex SetupLink();
}
