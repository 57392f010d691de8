using Cadence.Audit;
using Cadence.Contacts;
using Cadence.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cadence.Tests.Console;

/// <summary>Hand-made and hostile form posts: always a message on the page, never a 500 and never a change.</summary>
public sealed class ConsoleInputTests(Browser browser)
{
    [Fact]
    public async Task BlankAndOutOfRangeFieldsGetAMessageNotA500()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        var page = console.Page;
        var login = await ConsoleApp.PostFormAsync(page, "/login", "/login", ("Email", ""), ("Password", ""));
        Assert.Equal(401, login.Status);
        Assert.Contains("do not match", await login.TextAsync());

        await console.SignInAsync();
        var blankName = await ConsoleApp.PostFormAsync(page, "/api", "/api?handler=Create", ("Name", " "));
        Assert.Equal(200, blankName.Status);
        Assert.Contains("role=\"alert\"", await blankName.TextAsync());
        var farExpiry = await ConsoleApp.PostFormAsync(page, "/api", "/api?handler=Create", ("Name", "Far"), ("ExpiresInDays", "99999999"));
        Assert.Contains("Choose one of the offered expiries", await farExpiry.TextAsync());
        var wordyLimit = await ConsoleApp.PostFormAsync(page, "/api", "/api?handler=Create", ("Name", "Wordy"), ("RateLimit", "lots"));
        Assert.Contains("whole number", await wordyLimit.TextAsync());
        var longGrace = await ConsoleApp.PostFormAsync(page, "/api", "/api?handler=Roll", ("Key", "cdk_x"), ("GraceHours", "100000"));
        Assert.Contains("0 to 168 hours", await longGrace.TextAsync());
        foreach (var (path, fields) in new (string, (string, string)[])[]
        {
            ("/teams", [("DepartmentCode", ""), ("Name", "")]),
            ("/users?handler=Add", [("Email", ""), ("StaffId", ""), ("Password", ""), ("Role", "7")]),
            ("/account", [("CurrentPassword", ConsoleApp.Password), ("NewPassword", "")]),
            ("/setup", [("Token", ""), ("Email", "")]),
        })
        {
            var answer = await ConsoleApp.PostFormAsync(page, path.Split('?')[0] == "/setup" ? "/login" : path.Split('?')[0], path, fields);
            Assert.InRange(answer.Status, 200, 499);
        }
        var list = await console.App.CliAsync("credentials", "list", "--json");
        Assert.Equal("[]", list.Out.Trim());
    }

    [Fact]
    public async Task ARefusedOversizedFormGetsTheConsolesErrorPageNotJson()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        await console.App.AddTeamAsync("SS");
        await console.SignInAsync();
        var cookie = string.Join("; ", (await console.Page.Context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}"));

        // Declares a gigabyte and sends a few bytes: the server answers from the declared length alone.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(console.App.Address.Host, console.App.Address.Port, TestContext.Current.CancellationToken);
        var stream = tcp.GetStream();
        var request = $"POST /contacts/upload?team=SS HTTP/1.1\r\nHost: {console.App.Address.Authority}\r\nCookie: {cookie}\r\n" +
            "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 1000000000\r\n\r\n--x\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(request), TestContext.Current.CancellationToken);
        using var reader = new StreamReader(stream);
        var answer = new System.Text.StringBuilder();
        while (await reader.ReadLineAsync(TestContext.Current.CancellationToken) is { } line && !line.Contains("</html>"))
        {
            answer.AppendLine(line);
        }
        var text = answer.ToString();
        // The antiforgery check is the first to read the body, and refuses the form.
        Assert.StartsWith("HTTP/1.1 400", text);
        Assert.Contains("text/html", text);
        Assert.Contains("Content-Security-Policy", text);
        Assert.Contains("This form could not be accepted", text);
    }

    [Fact]
    public async Task SignInTriesSentSideBySideAreCountedBeforeTheSlowHash()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        var page = console.Page;
        await page.GotoAsync("/login");
        var token = await page.Locator("input[name=__csrf]").InputValueAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => page.APIRequest.PostAsync("/login", new()
        {
            Form = page.APIRequest.CreateFormData().Set("__csrf", token).Set("Email", ConsoleApp.OwnerEmail).Set("Password", "guess " + i),
        })));

        Assert.True(answers.Count(a => a.Status == 401) <= Cadence.Console.LoginThrottle.FreeFailuresPerEmail, string.Join(",", answers.Select(a => a.Status)));
        Assert.Contains(answers, a => a.Status == 429);
    }

    [Fact]
    public async Task StaffMayNotMergeAFieldHiddenFromThemIntoAText()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        var team = await console.App.AddTeamAsync("SS");
        await console.App.WithServicesAsync((services, _) =>
            services.GetRequiredService<CustomFieldService>().AddAsync(team, "Gpa", false, true, true, new Actor("test")));
        await console.AddUserAsync("ursula@college.edu", "S100", UserRole.User, "SS");
        await console.SignInAsync("ursula@college.edu");

        var answer = await ConsoleApp.PostFormAsync(console.Page, "/messages?team=SS", "/messages?team=SS&handler=Send",
            ("To", "716-555-0101"), ("Text", "Your GPA is {gpa}"));
        Assert.Contains("{gpa} is hidden from staff", System.Net.WebUtility.HtmlDecode(await answer.TextAsync()));
    }

    [Fact]
    public async Task AFieldHiddenFromStaffShowsOnAContactOnlyToTheTeamsAdmins()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        var team = await console.App.AddTeamAsync("SS");
        await console.App.WithServicesAsync((services, _) =>
            services.GetRequiredService<CustomFieldService>().AddAsync(team, "Gpa", false, false, true, new Actor("test")));
        using var client = console.App.Http(await console.App.CreateCredentialAsync());
        var import = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(client, "/v2/contacts/SS/import",
            new { contacts = new[] { Cadence.Tests.Contacts.ContactsApp.Row("P1", "Ada", "Lovelace", "716-555-0101", customFields: new { Gpa = "3.97" }) } },
            TestContext.Current.CancellationToken);
        import.EnsureSuccessStatusCode();
        var contactId = await console.App.WithServicesAsync((services, _) =>
            services.GetRequiredService<Cadence.Data.CadenceDb>().Contacts.Select(c => c.Id).SingleAsync());
        await console.AddUserAsync("ursula@college.edu", "S100", UserRole.User, "SS");

        await console.SignInAsync();
        await console.Page.GotoAsync($"/contacts/{contactId}?team=SS");
        await Expect(console.Page.GetByText("3.97")).ToBeVisibleAsync();

        var staff = await browser.NewPageAsync(console.App.Address);
        await ConsoleApp.SignInAsync(staff, "ursula@college.edu");
        await staff.GotoAsync($"/contacts/{contactId}?team=SS");
        await Expect(staff.GetByText("Ada Lovelace").First).ToBeVisibleAsync();
        Assert.DoesNotContain("3.97", await staff.ContentAsync());
        await staff.Context.DisposeAsync();
    }

    [Fact]
    public async Task TheAuditLogIsForOwnersOnly()
    {
        await using var console = await ConsoleApp.StartAsync(browser);
        await console.App.AddTeamAsync("SS");
        await console.AddUserAsync("adam@college.edu", "S200", UserRole.Admin, "SS");
        await console.SignInAsync("adam@college.edu");

        await Expect(console.Page.GetByRole(AriaRole.Link, new() { Name = "Audit log" })).ToHaveCountAsync(0);
        var response = await console.Page.GotoAsync("/audit");
        Assert.Equal(403, response!.Status);
    }
}
