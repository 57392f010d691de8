using Cadence.Audit;
using Cadence.Tests.Infrastructure;
using Cadence.Users;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cadence.Tests.Console;

/// <summary>A server with an owner (and optionally more people) and a browser page on it.</summary>
public sealed class ConsoleApp : IAsyncDisposable
{
    public const string OwnerEmail = "owner@college.edu";
    public const string Password = "correct horse battery";

    public required CadenceApp App { get; init; }
    public required IPage Page { get; init; }
    public TestDatabase Database => App.Database;

    public static async Task<ConsoleApp> StartAsync(Browser browser, Store store = Store.Sqlite, Dictionary<string, string?>? settings = null,
        bool withOwner = true)
    {
        var app = await CadenceApp.StartAsync(store, settings);
        var page = await browser.NewPageAsync(app.Address);
        var console = new ConsoleApp { App = app, Page = page };
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                console.policyViolations.Add(message.Text);
            }
        };
        if (withOwner)
        {
            await console.AddUserAsync(OwnerEmail, "S000", UserRole.Owner, null, "Olive Owner");
        }
        return console;
    }

    public Task<User> AddUserAsync(string email, string staffId, UserRole role, string? team, string name = "") =>
        App.WithServicesAsync((services, organization) => services.GetRequiredService<UserService>()
            .AddAsync(organization.Id, email, staffId, role, team, Password, new Actor("test"), default, name));

    public Task SignInAsync(string email = OwnerEmail, string password = Password) => SignInAsync(Page, email, password);

    /// <summary>Signs in through the login form of any page (another person's browser, say).</summary>
    public static async Task SignInAsync(IPage page, string email, string password = Password)
    {
        await page.GotoAsync("/login");
        await SubmitSignInAsync(page, email, password);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }

    /// <summary>Fills and sends the sign-in form already on the page, whatever the answer.</summary>
    public static async Task SubmitSignInAsync(IPage page, string email, string password)
    {
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>
    /// Posts a form the page does not offer, with the antiforgery token of one it does: what someone
    /// tampering with the page (or a script) can send.
    /// </summary>
    public static async Task<IAPIResponse> PostFormAsync(IPage page, string tokenPage, string url, params (string Name, string Value)[] fields)
    {
        await page.GotoAsync(tokenPage);
        var form = page.APIRequest.CreateFormData().Set("__csrf", await page.Locator("input[name=__csrf]").First.InputValueAsync());
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }
        return await page.APIRequest.PostAsync(url, new() { Form = form });
    }

    readonly List<string> policyViolations = [];

    /// <summary>Closes everything; a page that broke the Content-Security-Policy (an inline style or script) fails the test.</summary>
    public async ValueTask DisposeAsync()
    {
        await Page.Context.DisposeAsync();
        await App.DisposeAsync();
        Assert.True(policyViolations.Count == 0, "The page broke its Content-Security-Policy: " + string.Join("\n", policyViolations));
    }
}
