using Microsoft.AspNetCore.Authentication;

namespace Cadence.Authentication;

public sealed class ApiKeyOptions : AuthenticationSchemeOptions
{
    public string Realm { get; set; } = ApiKeyDefaults.Realm;
}
