using Cadence.Authentication;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Cadence;

/// <summary>The OpenAPI document at /openapi/v2.json: every call, its shapes, and how to authenticate.</summary>
public static class ApiDocument
{
    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi("v2", options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Cadence client API";
                document.Info.Version = "v2";
                document.Info.Description = "Send your API key and secret with HTTP Basic (curl -u KEY:SECRET) or the X-Api-Key and X-Api-Secret headers. " +
                    "Errors are RFC 9457 problem details with a stable \"code\".";
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
                return Task.CompletedTask;
            });
            // A client API call needs a credential (either form) and may need a scope: say so on the operation.
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (!metadata.OfType<ApiEndpointMetadata>().Any())
                {
                    return Task.CompletedTask;
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
                var scopes = metadata.OfType<RequiredScopeMetadata>().Select(s => s.Scope).ToList();
                if (scopes.Count > 0)
                {
                    operation.Description = $"Needs the scope {string.Join(" and ", scopes)}.";
                }
                return Task.CompletedTask;
            });
        });
}
