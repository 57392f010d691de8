using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Messages;

/// <summary>
/// Issue #10.12: a 400 says which field and what was expected, in the API's words, never a .NET type. Runs the real
/// executable (the Production environment, as deployed), since the framework's binding errors differ from Development's.
/// </summary>
public sealed partial class BadInputWordingTests
{
    static readonly string[] JsonPosts =
    [
        "/v2/messages/CreateAndSend", "/v2/messages/bulk", "/v2/contacts/SS/import", "/v2/contacts/SS", "/v2/teams/SS/fields",
        "/simulator/api/reply", "/v2/credentials/revoke",
    ];

    static readonly string[] Bodies =
    [
        "", "{", "}", "[]", "null", "42", "\"text\"", "true", "{\"departmentCode\": 5}", "{\"departmentCode\": [\"SS\"]}",
        "{\"departmentCode\": \"SS\", \"messageContent\": {\"a\": 1}}", "{\"departmentCode\": \"SS\", \"messageContent\": \"x\", \"mobileNumber\": true}",
        "{\"departmentCode\": \"SS\", \"messageContent\": \"x\", \"mobileNumber\": []}", "{\"departmentCode\": \"SS\", \"messageContent\": \"x\", \"uniqueCampusId\": {}}",
        "{\"departmentCode\": \"SS\", \"messageContent\": \"x\", \"recipients\": \"P1\"}", "{\"departmentCode\": \"SS\", \"messageContent\": \"x\", \"recipients\": [1, 2]}",
        "{\"departmentCode\": \"SS\", \"messageContent\": \"x\", \"recipients\": [[]]}", "{\"departmentCode\": \"SS\", \"messageContent\": \"x\", \"recipients\": {}}",
        "{\"departmentCode\": \"SS\", \"messageContent\": \"x\", \"recipients\": [{\"uniqueCampusId\": \"P1\"}], \"scheduledFor\": \"tomorrow\"}",
        "{\"departmentCode\": \"SS\", \"messageContent\": \"x\", \"recipients\": [{\"uniqueCampusId\": \"P1\"}], \"scheduledFor\": 5}",
        "{\"contacts\": {}}", "{\"contacts\": \"x\"}", "{\"contacts\": [1]}", "{\"contacts\": [{\"customFields\": [1]}]}", "{\"contacts\": [{\"optedOut\": \"maybe\"}]}",
        "{\"uniqueCampusId\": 5, \"firstName\": [], \"lastName\": {}, \"mobileNumber\": false, \"optedOut\": \"x\", \"customFields\": \"x\"}",
        "{\"name\": 5}", "{\"name\": \"Gpa\", \"required\": \"yes\"}", "{\"name\": \"Gpa\", \"mergeable\": 1}", "{\"name\": {\"x\": 1}}",
        "{\"mobileNumber\": 7165550101, \"body\": {\"x\": 1}}", "{\"mobileNumber\": [], \"body\": \"hi\"}",
        "{\"secrets\": \"cds_x\"}", "{\"secrets\": [1]}", "{\"secrets\": [null]}", "{\"secrets\": {}}",
        "{\"departmentCode\": \"\\ud800\", \"messageContent\": \"\\udfff\"}", "{\"name\": \"\\ud800\"}", "{\"body\": \"\\ud800\", \"mobileNumber\": \"7165550101\"}",
        "{\"departmentCode\": \"SS\", \"messageContent\": \"x\",}", "{\"departmentCode\": \"SS\" \"messageContent\": \"x\"}", "{'departmentCode': 'SS'}",
        "{\"mobileNumber\": 1e400, \"departmentCode\": \"SS\", \"messageContent\": \"x\"}", "{\"departmentCode\": \"SS\", \"messageContent\": \"x\", \"staffId\": 1.5e300}",
        new string('[', 2000) + new string(']', 2000), "{\"a\": " + new string('[', 70) + new string(']', 70) + "}",
    ];

    static readonly string[] Gets =
    [
        "/v2/messages?since=abc", "/v2/messages?since=9999-99-99", "/v2/messages?limit=abc", "/v2/messages?limit=99999999999", "/v2/messages?limit=1&limit=2",
        "/v2/messages?limit=-1", "/v2/messages?direction=sideways", "/v2/messages?status=%00", "/v2/messages?cursor=abc", "/v2/messages?cursor=%FF%FE",
        "/v2/messages?departmentCode=%00", "/v2/messages?departmentCode=", "/v2/messages?since=2026-01-01&since=2026-02-01",
        "/v2/messages/abc", "/v2/messages/99999999999999999999", "/v2/messages/-1", "/v2/messages/%00",
        "/v2/contacts/SS?limit=x", "/v2/contacts/SS?updatedSince=yesterday", "/v2/contacts/SS?cursor=garbage", "/v2/contacts/SS?cursor=%00", "/v2/contacts/SS?limit=0",
        "/v2/contacts/SS/import/not-a-guid", "/v2/contacts/SS/import/00000000-0000-0000-0000-000000000000", "/v2/contacts/SS/%FF", "/v2/contacts/SS/%00",
        "/v2/contacts/SS/by-id/%00", "/v2/contacts/%00", "/v2/contacts/%00?limit=x", "/v2/teams/%00", "/v2/teams/SS/fields?x=%00", "/v2/teams/NOPE/fields",
        "/simulator/api/messages?mobileNumber=x", "/simulator/api/messages?mobileNumber=%00", "/simulator/api/messages", "/v2/credentials/self?x=1",
    ];

    [Fact]
    public async Task NoBadRequestNamesADotNetTypeOrIsA500()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        Assert.Equal(0, (await CliRunner.RunAsync(database, ["teams", "add", "SS", "--name", "Student Success"])).ExitCode);
        var created = await CliRunner.CreateCredentialAsync(database, "fuzz", "--rate-limit", "100000");
        await using var server = await ServerProcess.StartAsync(database);
        using var client = new HttpClient { BaseAddress = server.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", created.Basic);

        var faults = new List<string>();
        var answered = 0;
        async Task CheckAsync(HttpRequestMessage request, string what)
        {
            using var response = await client.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            answered++;
            if ((int)response.StatusCode >= 500)
            {
                faults.Add($"{what}: {(int)response.StatusCode}");
            }
            else if (DotNetName().Match(text) is { Success: true } name)
            {
                faults.Add($"{what}: names {name.Value}: {text}");
            }
            // Kestrel itself refuses a NUL in the path, before any of Cadence runs, with an empty 400.
            else if (response.StatusCode == HttpStatusCode.BadRequest && !HasDetail(text) && !(text.Length == 0 && what.Contains("%00", StringComparison.Ordinal)))
            {
                faults.Add($"{what}: a 400 that does not say what is wrong: {text}");
            }
        }

        foreach (var path in JsonPosts)
        {
            foreach (var body in Bodies)
            {
                await CheckAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") },
                    $"POST {path} {Shorten(body)}");
            }
            var invalidUtf8 = new ByteArrayContent([(byte)'{', (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)':', (byte)'1', (byte)'}']);
            invalidUtf8.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            await CheckAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = invalidUtf8 }, $"POST {path} invalid UTF-8");
            await CheckAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{}", Encoding.UTF8, "text/plain") }, $"POST {path} text/plain");
            await CheckAsync(new HttpRequestMessage(HttpMethod.Post, path + "?limit=abc&since=x") { Content = new StringContent("{}", Encoding.UTF8, "application/json") },
                $"POST {path} with a query");
        }
        foreach (var path in Gets)
        {
            await CheckAsync(new HttpRequestMessage(HttpMethod.Get, path), "GET " + path);
        }

        Assert.True(faults.Count == 0, $"{faults.Count} of {answered} answers:\n" + string.Join("\n", faults));

        // And the words say where and what: a JSON path or the parameter's name, and the kind of value wanted.
        foreach (var (method, path, body, expected) in new (string, string, string?, string)[]
        {
            ("POST", "/v2/messages/CreateAndSend", "[]", "$ must be a JSON object"),
            ("POST", "/v2/messages/CreateAndSend", "{\"departmentCode\": 5}", "$.departmentCode must be a string"),
            ("POST", "/v2/messages/CreateAndSend", "{\"departmentCode\": \"SS\", \"mobileNumber\": true}", "$.mobileNumber"),
            ("POST", "/v2/messages/bulk", "{\"recipients\": \"P1\"}", "$.recipients must be an array"),
            ("POST", "/v2/messages/bulk", "{\"recipients\": [1]}", "$.recipients[0] must be a JSON object"),
            ("POST", "/v2/messages/bulk", "{\"scheduledFor\": \"tomorrow\"}", "$.scheduledFor must be a date and time"),
            ("POST", "/v2/teams/SS/fields", "{\"name\": \"Gpa\", \"required\": \"yes\"}", "$.required must be true or false"),
            ("POST", "/v2/teams/SS/fields", "", "The body is required"),
            ("POST", "/simulator/api/reply", "{\"mobileNumber\": 7165550101, \"body\": {\"x\": 1}}", "$.mobileNumber must be a string"),
            ("POST", "/v2/messages/CreateAndSend", "{\"departmentCode\": \"SS\",}", "at $"),
            ("GET", "/v2/messages?since=abc", null, "since must be a date and time such as 2026-09-01T14:00:00Z; 'abc' is not"),
            ("GET", "/v2/messages?limit=lots", null, "limit must be a whole number; 'lots' is not"),
            ("GET", "/v2/contacts/SS?updatedSince=yesterday", null, "updatedSince must be a date and time"),
        })
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }
            using var response = await client.SendAsync(request, ct);
            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
            var detail = problem.GetProperty("detail").GetString() ?? "";
            Assert.True(detail.Contains(expected, StringComparison.Ordinal), $"{method} {path} {body}: {detail}");
        }
    }

    static bool HasDetail(string text)
    {
        try
        {
            return JsonDocument.Parse(text).RootElement.TryGetProperty("detail", out var detail) && detail.GetString() is { Length: > 0 };
        }
        catch (JsonException)
        {
            return false;
        }
    }

    static string Shorten(string body) => body.Length > 60 ? body[..60] + "…" : body;

    // A type's shape: Cadence.Messages.X, System.Int32, Microsoft.AspNetCore…; also C#'s own spellings of the framework's binding errors.
    [GeneratedRegex(@"\b(Cadence|System|Microsoft)\.[A-Z]\w*|Nullable`|Nullable<|Failed to (bind|read) parameter|\bInt32\b|\bInt64\b|\bBoolean\b")]
    private static partial Regex DotNetName();
}
