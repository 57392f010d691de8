using Cadence.Authentication;
using Cadence.Docs;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Cadence;

/// <summary>A request body an endpoint reads by hand, for the document only (Accepts metadata would also make routing refuse other content types with its own 415).</summary>
public sealed record DocumentedBody(Type Type, string[] ContentTypes);

/// <summary>The OpenAPI document at /openapi/v2.json: every call, its shapes, how to authenticate, examples and errors (rendered at /docs).</summary>
public static class ApiDocument
{
    public static RouteHandlerBuilder WithBody<T>(this RouteHandlerBuilder builder, params string[] contentTypes) =>
        builder.WithMetadata(new DocumentedBody(typeof(T), contentTypes.Length == 0 ? ["application/json"] : contentTypes));

    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi("v2", options =>
        {
            options.AddDocumentTransformer(DescribeDocument);
            options.AddSchemaTransformer(DescribeSchema);
            options.AddOperationTransformer(DescribeOperationAsync);
        });

    /// <summary>The title, the introduction, how to authenticate, the problem schema, the tags' text and the code samples.</summary>
    static Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Cadence client API";
        document.Info.Version = "v2";
        document.Info.Description = ReferenceText.Introduction;
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["basic"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "basic", Description = "The credential's key as user name and its secret as password.",
        };
        document.Components.SecuritySchemes["apiKey"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = ApiKeyDefaults.KeyHeader, Description = "The credential's key.",
        };
        document.Components.SecuritySchemes["apiSecret"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = ApiKeyDefaults.SecretHeader, Description = "The credential's secret.",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ReferenceFacts.ProblemSchema] = ReferenceFacts.Problem(document);
        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            tag.Description = ReferenceText.Tag(tag.Name);
        }
        // Operation transformers have run by now: every call has its id and examples.
        ReferenceFacts.AddCodeSamples(document);
        return Task.CompletedTask;
    }

    // A field read by StringOrNumberConverter takes "7165550101" or 7165550101 (the hosted API's scripts send both);
    // the generator cannot see through the converter and would say nothing about it.
    static Task DescribeSchema(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo?.CustomConverter is Messages.StringOrNumberConverter)
        {
            schema.Type = JsonSchemaType.String | JsonSchemaType.Number | JsonSchemaType.Null;
        }
        return Task.CompletedTask;
    }

    // A client API call needs a credential (either form) and may need a scope: say so on the operation.
    static async Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<DocumentedBody>().LastOrDefault() is { } body)
        {
            var schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                // A CSV or TSV body is text, not the JSON shape the same call also takes.
                Content = body.ContentTypes.ToDictionary(type => type, type => new OpenApiMediaType
                {
                    Schema = type.StartsWith("text/", StringComparison.Ordinal)
                        ? new OpenApiSchema { Type = JsonSchemaType.String, Description = "A header line of column names, then one contact per line." }
                        : schema,
                }),
            };
        }
        var api = metadata.OfType<ApiEndpointMetadata>().Any();
        var scopes = metadata.OfType<RequiredScopeMetadata>().Select(s => s.Scope).ToList();
        if (scopes.Count > 0)
        {
            operation.Description = $"Needs the scope {string.Join(" and ", scopes.Select(s => $"`{s}`"))}.";
        }
        // The problem codes any call with a credential (and a scope) can answer, then the call's own (Docs/Operations.cs).
        ReferenceFacts.Apply(operation, context, (api ? ProblemCodes.Credential : []).Concat(scopes.Count > 0 ? ["scope_missing"] : []));
        if (!api)
        {
            return;
        }
        operation.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("basic", context.Document)] = [] },
            new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference("apiKey", context.Document)] = [],
                [new OpenApiSecuritySchemeReference("apiSecret", context.Document)] = [],
            },
        ];
    }
}
