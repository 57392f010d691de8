using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Cadence.Tests.Webhooks;

/// <summary>
/// The receiver's check written by hand from the Standard Webhooks specification, so that a mistake shared by Cadence
/// and the library cannot pass: HMAC-SHA256, keyed with the base64-decoded part of the secret after "whsec_", over
/// "{webhook-id}.{webhook-timestamp}.{body}"; the header holds space-separated "v1,{base64}" signatures.
/// </summary>
public static class SpecSignature
{
    public static bool Verifies(string secret, IHeaderDictionary headers, string body)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = $"{headers["webhook-id"]}.{headers["webhook-timestamp"]}.{body}";
        var expected = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(signed)));
        return headers["webhook-signature"].ToString().Split(' ')
            .Any(s => s.StartsWith("v1,", StringComparison.Ordinal) && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s[3..]), Encoding.ASCII.GetBytes(expected)));
    }

    public static int SignatureCount(IHeaderDictionary headers) => headers["webhook-signature"].ToString().Split(' ').Length;
}
