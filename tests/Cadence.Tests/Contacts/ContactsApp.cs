using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cadence.Audit;
using Cadence.Contacts;
using Cadence.Credentials;
using Cadence.Data;
using Cadence.Tests.Infrastructure;
using Cadence.Users;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Tests.Contacts;

/// <summary>A server with a team "SS", its custom fields Major (mergeable) and Advisor, a staff user S100, and a full credential.</summary>
public sealed class ContactsApp : IAsyncDisposable
{
    public required CadenceApp App { get; init; }
    public TestDatabase Database => App.Database;
    public required HttpClient Client { get; init; }

    public static async Task<ContactsApp> StartAsync(Store store, Dictionary<string, string?>? settings = null)
    {
        var app = await CadenceApp.StartAsync(store, settings);
        var team = await app.AddTeamAsync("SS", "Student Success");
        await app.WithServicesAsync(async (services, organization) =>
        {
            var fields = services.GetRequiredService<CustomFieldService>();
            await fields.AddAsync(team, "Major", false, true, false, new Actor("test"));
            await fields.AddAsync(team, "Advisor", false, false, false, new Actor("test"));
            await services.GetRequiredService<UserService>().AddAsync(organization.Id, "advisor@college.edu", "S100", UserRole.User, "SS", "a long password", new Actor("test"));
            return 0;
        });
        var credential = await app.CreateCredentialAsync();
        return new ContactsApp { App = app, Client = app.Http(credential) };
    }

    public async Task<JsonElement> ImportAsync(object body, HttpStatusCode expected = HttpStatusCode.OK, string team = "SS")
    {
        var response = await Client.PostAsJsonAsync($"/v2/contacts/{team}/import", body, TestContext.Current.CancellationToken);
        return await Expect(response, expected);
    }

    public async Task<JsonElement> ImportTextAsync(string text, string mediaType, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var content = new StringContent(text, Encoding.UTF8, mediaType);
        var response = await Client.PostAsync("/v2/contacts/SS/import", content, TestContext.Current.CancellationToken);
        return await Expect(response, expected);
    }

    public async Task<JsonElement> GetAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await Client.GetAsync(path, TestContext.Current.CancellationToken);
        return await Expect(response, expected);
    }

    public static async Task<JsonElement> Expect(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"Expected {expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static object Row(string id, string first = "Ada", string last = "Lovelace", string mobile = "716-555-0101", object? optedOut = null,
        object? customFields = null) =>
        optedOut is null
            ? new { uniqueCampusId = id, firstName = first, lastName = last, mobileNumber = mobile, customFields }
            : new { uniqueCampusId = id, firstName = first, lastName = last, mobileNumber = mobile, customFields, optedOut };

    public Task<List<OptOutChange>> OptOutChangesAsync() => App.WithServicesAsync((services, _) =>
        services.GetRequiredService<CadenceDb>().OptOutChanges.OrderBy(o => o.Id).ToListAsync());

    public Task<int> ContactCountAsync() => App.WithServicesAsync((services, _) => services.GetRequiredService<CadenceDb>().Contacts.CountAsync());

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }
}

public static class Json
{
    public static int Int(this JsonElement e, string name) => e.GetProperty(name).GetInt32();

    public static string? Str(this JsonElement e, string name) => e.GetProperty(name).GetString();
}
