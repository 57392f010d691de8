using System.Net;
using System.Text.Json;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Docs;

/// <summary>The OpenAPI document the reference renders: ids, examples, errors, code samples and scopes for every call.</summary>
public sealed class ApiDocumentTests
{
    static readonly string[] Methods = ["get", "post", "put", "delete", "patch"];

    [Fact]
    public async Task EveryClientApiCallHasAnIdAnExampleItsErrorsAndCodeSamples()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        var document = await DocumentAsync(app);

        var operations = Operations(document).ToList();
        Assert.True(operations.Count >= 20, $"{operations.Count} operations");
        var ids = new HashSet<string>();
        foreach (var (method, path, operation) in operations)
        {
            var name = $"{method.ToUpperInvariant()} {path}";
            Assert.True(operation.TryGetProperty("operationId", out var id), $"{name} has no operationId");
            Assert.Matches("^[A-Z][A-Za-z]+$", id.GetString());
            Assert.True(ids.Add(id.GetString()!), $"{name}: operationId {id} twice");
            if (!path.StartsWith("/v2/", StringComparison.Ordinal))
            {
                continue;
            }
            var responses = operation.GetProperty("responses");
            var success = responses.EnumerateObject().Single(r => r.Name.StartsWith('2'));
            if (success.Name != "204")
            {
                Assert.True(success.Value.GetProperty("content").GetProperty("application/json").TryGetProperty("example", out _), $"{name} has no example answer");
            }
            if (operation.TryGetProperty("requestBody", out var body))
            {
                Assert.True(body.GetProperty("content").GetProperty("application/json").TryGetProperty("example", out _), $"{name} has no example request");
            }
            var samples = operation.GetProperty("x-codeSamples").EnumerateArray().ToList();
            Assert.Equal(["curl", "Python", "PowerShell"], samples.Select(s => s.GetProperty("label").GetString()));
            Assert.All(samples, s => Assert.Contains(app.Address.ToString().TrimEnd('/') + "/v2/", s.GetProperty("source").GetString()));
            var curl = samples[0].GetProperty("source").GetString()!;
            var python = samples[1].GetProperty("source").GetString()!;
            var powershell = samples[2].GetProperty("source").GetString()!;
            Assert.Contains($"requests.{method}(", python);
            Assert.Contains("raise_for_status()", python);
            Assert.StartsWith("Invoke-RestMethod", powershell.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
            Assert.DoesNotContain("{", curl.Split('\n')[0]);

            if (operation.TryGetProperty("security", out _))
            {
                // Both credential forms appear in the samples, and the credential's problem answers in the document.
                Assert.Contains("-u \"$CADENCE_KEY:$CADENCE_SECRET\"", curl);
                Assert.Contains("auth=(os.environ[\"CADENCE_KEY\"], os.environ[\"CADENCE_SECRET\"])", python);
                Assert.Contains("\"X-Api-Key\" = $env:CADENCE_KEY", powershell);
                Assert.Equal("credentials_missing", ProblemExamples(responses, "401").First());
                Assert.Contains("rate_limited", ProblemExamples(responses, "429"));
            }
            if (operation.GetProperty("description").GetString()!.Contains("Needs the scope", StringComparison.Ordinal))
            {
                Assert.Contains("scope_missing", ProblemExamples(responses, "403"));
            }
        }
    }

    [Fact]
    public async Task HostedOperationIdsScopesAndErrorCodesAreWhereScriptsLookForThem()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        var paths = (await DocumentAsync(app)).GetProperty("paths");

        var import = paths.GetProperty("/v2/contacts/{departmentCode}/import").GetProperty("post");
        Assert.Equal("Import", import.GetProperty("operationId").GetString());
        Assert.Contains("`contacts:write`", import.GetProperty("description").GetString());
        Assert.True(import.GetProperty("requestBody").GetProperty("content").GetProperty("text/csv").TryGetProperty("example", out _));
        var send = paths.GetProperty("/v2/messages/CreateAndSend").GetProperty("post");
        Assert.Equal("CreateAndSend", send.GetProperty("operationId").GetString());
        Assert.Contains("`messages:send`", send.GetProperty("description").GetString());
        Assert.Contains("daily_cap_reached", ProblemExamples(send.GetProperty("responses"), "429"));
        Assert.Contains("not_found", ProblemExamples(send.GetProperty("responses"), "404"));
        var contact = paths.GetProperty("/v2/contacts/{departmentCode}/{mobileNumber}").GetProperty("get");
        Assert.Equal("GetContact", contact.GetProperty("operationId").GetString());
        Assert.Equal(["team_not_found", "contact_not_found"], ProblemExamples(contact.GetProperty("responses"), "404"));
        Assert.Equal("716-555-0101", contact.GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == "mobileNumber").GetProperty("example").GetString());
        var sample = send.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.Equal("SS", sample.GetProperty("departmentCode").GetString());
        Assert.Equal("716-555-0101", sample.GetProperty("mobileNumber").GetString());
        // Every problem answer refers to the one schema that documents "code".
        Assert.True((await DocumentAsync(app)).GetProperty("components").GetProperty("schemas").GetProperty("Problem").GetProperty("properties").TryGetProperty("code", out _));
    }

    /// <summary>An example that named a field its schema lacks (or the other way round) would teach scripts the wrong shape.</summary>
    [Fact]
    public async Task ExamplesHaveExactlyTheFieldsOfTheirSchemas()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        var document = await DocumentAsync(app);
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var checkedExamples = 0;
        foreach (var (method, path, operation) in Operations(document))
        {
            var media = new List<(string, JsonElement)>();
            if (operation.TryGetProperty("requestBody", out var body))
            {
                media.Add(("request", body.GetProperty("content").GetProperty("application/json")));
            }
            foreach (var response in operation.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('2')))
            {
                if (response.Value.TryGetProperty("content", out var content) && content.TryGetProperty("application/json", out var json))
                {
                    media.Add((response.Name, json));
                }
            }
            foreach (var (what, json) in media)
            {
                if (json.TryGetProperty("example", out var example) && json.TryGetProperty("schema", out var schema))
                {
                    CheckShape(schemas, schema, example, $"{method.ToUpperInvariant()} {path} {what}", request: what == "request");
                    checkedExamples++;
                }
            }
        }
        Assert.True(checkedExamples >= 20, $"{checkedExamples} examples checked");
    }

    /// <summary>Each success answer's shape comes from its handler's typed result; one without a schema gives a script nothing to code against.</summary>
    [Fact]
    public async Task EveryClientApiSuccessAnswerHasASchema()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        await using var app = await CadenceApp.StartAsync(database);
        var answers = 0;
        var client = Operations(await DocumentAsync(app))
            .Where(o => o.Path.StartsWith("/v2/", StringComparison.Ordinal) || o.Path.StartsWith("/simulator/", StringComparison.Ordinal));
        foreach (var (method, path, operation) in client)
        {
            foreach (var response in operation.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('2') && r.Name != "204"))
            {
                Assert.True(response.Value.TryGetProperty("content", out var content) && content.TryGetProperty("application/json", out var json)
                    && json.TryGetProperty("schema", out _),
                    $"{method.ToUpperInvariant()} {path} {response.Name} has no schema");
                answers++;
            }
        }
        Assert.True(answers >= 20, $"{answers} answers checked");
    }

    static void CheckShape(JsonElement schemas, JsonElement schema, JsonElement example, string where, bool request)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            schema = schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
        }
        if (example.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            foreach (var item in example.EnumerateArray())
            {
                CheckShape(schemas, items, item, where + "[]", request);
            }
        }
        if (example.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("properties", out var properties))
        {
            return;
        }
        var named = properties.EnumerateObject().Select(p => p.Name).ToHashSet();
        var given = example.EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.True(given.IsSubsetOf(named), $"{where}: the example has {string.Join(", ", given.Except(named))}, which the schema lacks");
        if (!request)
        {
            Assert.True(named.IsSubsetOf(given), $"{where}: the example lacks {string.Join(", ", named.Except(given))}");
        }
        foreach (var property in example.EnumerateObject())
        {
            CheckShape(schemas, properties.GetProperty(property.Name), property.Value, $"{where}.{property.Name}", request);
        }
    }

    [Fact]
    public async Task TheReferencePageHasAStrictPolicyAndShipsRedocWithoutOutsideAddresses()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        var ct = TestContext.Current.CancellationToken;
        using var client = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = app.Address };

        foreach (var path in new[] { "/docs", "/docs/" })
        {
            using var page = await client.GetAsync(path, ct);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var policy = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self';", policy);
            Assert.Contains("default-src 'none'", policy);
            Assert.Contains("frame-ancestors 'none'", policy);
            Assert.DoesNotContain("unsafe-eval", policy);
            Assert.DoesNotContain("http", policy);
        }
        var html = await client.GetStringAsync("/docs", ct);
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("http", html);
        var bundlePath = System.Text.RegularExpressions.Regex.Match(html, "data-bundle=\"([^\"]+)\"").Groups[1].Value;

        using var request = new HttpRequestMessage(HttpMethod.Get, bundlePath);
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var bundle = await client.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        Assert.Equal(["gzip"], bundle.Content.Headers.ContentEncoding);
        Assert.Contains("immutable", bundle.Headers.CacheControl?.ToString());
        var gzip = await bundle.Content.ReadAsByteArrayAsync(ct);
        Assert.InRange(gzip.Length, 300_000, 1_500_000);
        using var plain = new StreamReader(new System.IO.Compression.GZipStream(new MemoryStream(gzip), System.IO.Compression.CompressionMode.Decompress));
        var script = await plain.ReadToEndAsync(ct);
        Assert.DoesNotContain("cdn.redoc.ly", script);

        using var uncompressed = await client.GetAsync(bundlePath, ct);
        Assert.Empty(uncompressed.Content.Headers.ContentEncoding);
        Assert.Equal(script.Length, (await uncompressed.Content.ReadAsStringAsync(ct)).Length);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/docs/redoc.0000000000000000.js", ct)).StatusCode);
    }

    static async Task<JsonElement> DocumentAsync(CadenceApp app) =>
        JsonDocument.Parse(await app.Http().GetStringAsync("/openapi/v2.json", TestContext.Current.CancellationToken)).RootElement;

    static IEnumerable<(string Method, string Path, JsonElement Operation)> Operations(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        from operation in path.Value.EnumerateObject()
        where Methods.Contains(operation.Name)
        select (operation.Name, path.Name, operation.Value);

    static List<string> ProblemExamples(JsonElement responses, string status) =>
        responses.TryGetProperty(status, out var response)
            ? [.. response.GetProperty("content").GetProperty("application/problem+json").GetProperty("examples").EnumerateObject().Select(e => e.Name)]
            : [];
}
