using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Cadence.Docs;

/// <summary>Puts the <see cref="Operations"/> table into the OpenAPI document: ids, examples, errors, code samples.</summary>
public static partial class ReferenceFacts
{
    public const string ProblemSchema = "Problem";

    static readonly JsonSerializerOptions Answers = new(JsonSerializerOptions.Web) { Converters = { new JsonStringEnumConverter() } };

    // A request example shows what a script sends: no nulls for what it may leave out.
    static readonly JsonSerializerOptions Requests = new(Answers) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    const string CsvExample = "UniqueCampusId,FirstName,LastName,MobileNumber,OptedOut,StaffId,Major,Advisor\n" +
        "P000123,Maria,Lopez,716-555-0101,no,S0042,Nursing,J. Chen\nP000124,Devon,Okafor,(716) 555-0102,,,Biology,\n";

    /// <summary>The document's path of an endpoint: its route pattern without constraints ("{id:long}" is "{id}").</summary>
    public static string PathOf(string? relativePath) => "/" + RouteConstraint().Replace(relativePath ?? "", "{$1}").TrimEnd('/');

    /// <summary>The operation's id, examples and problem answers; the problem codes of the credential, scope and team come first.</summary>
    public static void Apply(OpenApiOperation operation, OpenApiOperationTransformerContext context, IEnumerable<string> common)
    {
        var path = PathOf(context.Description.RelativePath);
        if (Operations.Find(context.Description.HttpMethod ?? "GET", path) is not { } facts)
        {
            return;
        }
        operation.OperationId = facts.OperationId;
        operation.Responses ??= [];
        // The success answer is the one the handler's signature declares (Ok<T>, Created<T>, Accepted<T>, NoContent).
        var status = operation.Responses.Keys.FirstOrDefault(k => k.StartsWith('2')) ?? "200";
        if (!operation.Responses.TryGetValue(status, out var success) || success is not OpenApiResponse)
        {
            success = new OpenApiResponse { Description = status == "204" ? "No Content" : "OK" };
            operation.Responses[status] = success;
        }
        var answer = (OpenApiResponse)success;
        if (facts.Example is not null)
        {
            answer.Content ??= new Dictionary<string, OpenApiMediaType>();
            if (!answer.Content.TryGetValue("application/json", out var media))
            {
                answer.Content["application/json"] = media = new OpenApiMediaType();
            }
            media.Example = JsonSerializer.SerializeToNode(facts.Example, Answers);
        }
        if (facts.Request is not null && operation.RequestBody?.Content is { } bodies)
        {
            foreach (var (contentType, media) in bodies)
            {
                media.Example = contentType == "application/json" ? JsonSerializer.SerializeToNode(facts.Request, Requests) : JsonValue.Create(CsvExample);
            }
        }
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            if (parameter.Name is { } name && Examples.Parameters.TryGetValue(name, out var value))
            {
                parameter.Example = long.TryParse(value, out var number) && name is "id" or "limit" ? JsonValue.Create(number) : JsonValue.Create(value);
            }
        }
        var codes = common.Concat(path.Contains("{departmentCode}", StringComparison.Ordinal) ? ["team_not_granted", "team_not_found"] : [])
            .Concat(facts.Errors).Distinct().Select(ProblemCodes.Get);
        foreach (var group in codes.GroupBy(c => c.Status).OrderBy(g => g.Key))
        {
            operation.Responses[group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = ProblemAnswer(group.DistinctBy(c => c.Code).ToList(), context.Document);
        }
        operation.Description = string.Join("\n\n", new[] { operation.Summary, facts.Notes, operation.Description }.Where(t => !string.IsNullOrEmpty(t)));
        operation.Summary = facts.Title;
    }

    static OpenApiResponse ProblemAnswer(IReadOnlyList<ProblemCode> codes, OpenApiDocument? document) => new()
    {
        Description = string.Join("\n", codes.Select(c => $"- `{c.Code}`: {c.Title}")),
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new()
            {
                Schema = new OpenApiSchemaReference(ProblemSchema, document),
                Examples = codes.ToDictionary(c => c.Code, c => (IOpenApiExample)new OpenApiExample
                {
                    Summary = $"{c.Code}: {c.Title}",
                    Value = new JsonObject { ["title"] = c.Title, ["status"] = c.Status, ["detail"] = c.Detail, ["code"] = c.Code },
                }),
            },
        },
    };

    /// <summary>The code samples of every call the table knows, against the server the document names.</summary>
    public static void AddCodeSamples(OpenApiDocument document)
    {
        var server = document.Servers?.FirstOrDefault()?.Url?.TrimEnd('/') is { Length: > 0 } url ? url : "http://localhost:5080";
        foreach (var (path, item) in document.Paths ?? [])
        {
            foreach (var (method, operation) in item.Operations ?? [])
            {
                if (Operations.Find(method.Method, path) is not { NoSamples: false } facts)
                {
                    continue;
                }
                var target = server + ParameterName().Replace(path, m => Uri.EscapeDataString(Examples.Parameters.GetValueOrDefault(m.Groups[1].Value, m.Groups[1].Value)))
                    + (facts.Query is { } query ? "?" + query : "");
                var body = operation.RequestBody?.Content?.TryGetValue("application/json", out var media) == true ? media.Example : null;
                operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
                operation.Extensions["x-codeSamples"] = new JsonNodeExtension(CodeSamples.For(method.Method.ToUpperInvariant(), target, body, operation.Security is not { Count: > 0 }));
            }
        }
    }

    /// <summary>RFC 9457 problem details with Cadence's "code".</summary>
    public static OpenApiSchema Problem(OpenApiDocument document) => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details. Branch on `code`, which stays the same; the title and detail are for people and may change.",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A URI for the kind of problem (the HTTP status's section of RFC 9110)." },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A short summary, the same for every problem of the code." },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "The HTTP status." },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What went wrong with this request, and what to do." },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The stable, machine-readable problem code." },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array, Description = "invalid_contact only: each problem of the contact.",
                Items = new OpenApiSchemaReference("RowError", document),
            },
        },
        Required = new HashSet<string> { "title", "status", "code" },
    };

    [GeneratedRegex(@"\{([^}:?]+)[^}]*\}")]
    private static partial Regex RouteConstraint();

    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex ParameterName();
}
