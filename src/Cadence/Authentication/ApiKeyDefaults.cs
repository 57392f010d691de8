namespace Cadence.Authentication;

public static class ApiKeyDefaults
{
    public const string AuthenticationScheme = "ApiKey";
    public const string Realm = "Cadence";
    public const string KeyHeader = "X-Api-Key";
    public const string SecretHeader = "X-Api-Secret";
}
