using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Cadence;

/// <summary>The OpenAPI document at /openapi/v2.json: every call, and how to authenticate.</summary>
public static class ApiDocument
{
    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi("v2", options => options.AddDocumentTransformer((document, _, _) =>
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
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "X-Api-Key",
                Description = "The credential's key; send its secret in X-Api-Secret.",
            };
            return Task.CompletedTask;
        }));
}
