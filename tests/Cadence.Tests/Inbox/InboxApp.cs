using System.Net.Http.Json;
using Cadence.Audit;
using Cadence.Contacts;
using Cadence.Credentials;
using Cadence.Data;
using Cadence.Teams;
using Cadence.Tests.Console;
using Cadence.Tests.Contacts;
using Cadence.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Cadence.Tests.Inbox;

/// <summary>
/// A console with team SS (time zone America/Chicago, mergeable field Major, hidden field Gpa) and contacts P1 Ada
/// (assigned to S000, the owner) and P2 Bob, a credential for the API, and helpers to play the student's phone.
/// </summary>
public sealed class InboxApp : IAsyncDisposable
{
    public const string Ada = "716-555-0101";
    public const string Bob = "716-555-0102";

    public required ConsoleApp Console { get; init; }
    public required Team Team { get; init; }
    public required HttpClient Api { get; init; }
    public IPage Page => Console.Page;
    public CadenceApp App => Console.App;

    public static async Task<InboxApp> StartAsync(Browser browser, Store store = Store.Sqlite)
    {
        var console = await ConsoleApp.StartAsync(browser, store);
        var team = await console.App.WithServicesAsync((services, organization) => services.GetRequiredService<TeamService>()
            .AddAsync(organization.Id, "SS", "Student Success", new Actor("test"), default, "America/Chicago"));
        await console.App.WithServicesAsync(async (services, _) =>
        {
            var fields = services.GetRequiredService<CustomFieldService>();
            await fields.AddAsync(team, "Major", false, true, false, new Actor("test"));
            return await fields.AddAsync(team, "Gpa", false, true, true, new Actor("test"));
        });
        var api = console.App.Http(await console.App.CreateCredentialAsync("Inbox test"));
        var app = new InboxApp { Console = console, Team = team, Api = api };
        await app.ImportAsync(
            new { uniqueCampusId = "P1", firstName = "Ada", lastName = "Lovelace", mobileNumber = Ada, staffId = "S000", customFields = new { Major = "Math", Gpa = "3.97" } },
            ContactsApp.Row("P2", "Bob", "Byron", Bob));
        return app;
    }

    public async Task ImportAsync(params object[] rows)
    {
        var response = await Api.PostAsJsonAsync("/v2/contacts/SS/import", new { contacts = rows }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The student texts in, through the simulator.</summary>
    public async Task StudentTextsAsync(string mobile, string body)
    {
        var response = await Api.PostAsJsonAsync("/simulator/api/reply", new { mobileNumber = mobile, body }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task SendAsync(string campusId, string text)
    {
        var response = await Api.PostAsJsonAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", uniqueCampusId = campusId, messageContent = text },
            TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>What the simulated phone got.</summary>
    public async Task<List<string>> PhoneAsync(string mobile)
    {
        var texts = await Api.GetFromJsonAsync<List<PhoneText>>($"/simulator/api/messages?mobileNumber={mobile}", TestContext.Current.CancellationToken);
        return [.. texts!.Select(t => t.Body)];
    }

    public sealed record PhoneText(long Id, string Body, string Status);

    public Task<Contact> ContactAsync(string campusId) => App.WithServicesAsync((services, _) =>
        services.GetRequiredService<CadenceDb>().Contacts.AsNoTracking().SingleAsync(c => c.UniqueCampusId == campusId && c.TeamId == Team.Id));

    /// <summary>The signed-in browser's cookies as a Cookie header, for a plain HTTP client (the live streams).</summary>
    public async Task<string> CookieHeaderAsync() => string.Join("; ", (await Page.Context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}"));

    public async Task<string> ConversationUrlAsync(string campusId) => $"/inbox/SS/{(await ContactAsync(campusId)).Id:N}";

    /// <summary>Signs the owner in and opens the contact's conversation in <see cref="Page"/>.</summary>
    public async Task OpenConversationAsync(string campusId)
    {
        await Console.SignInAsync();
        await Page.GotoAsync(await ConversationUrlAsync(campusId));
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Console.DisposeAsync();
    }
}
