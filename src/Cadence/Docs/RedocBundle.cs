using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Cadence.Docs;

/// <summary>
/// Redoc's standalone bundle, as Swashbuckle.AspNetCore.ReDoc ships it (an embedded, gzip-compressed ES module),
/// read once and kept in memory, ready to serve compressed or not.
/// </summary>
public sealed class RedocBundle
{
    const string ResourceName = "Swashbuckle.AspNetCore.ReDoc.node_modules.redoc.bundles.redoc.standalone.js";

    // Redoc always renders its attribution logo from Redocly's CDN. The page fetches nothing from another host,
    // so the two addresses become empty data: URLs; the image then fails to load and Redoc hides it.
    static readonly string[] ExternalImages = ["https://cdn.redoc.ly/redoc/logo-mini-full.svg", "https://cdn.redoc.ly/redoc/logo-mini.svg"];

    public byte[] Plain { get; }
    public byte[] Gzip { get; }

    /// <summary>A short hash of the content, in the bundle's address, so browsers may cache it for good.</summary>
    public string Version { get; }

    RedocBundle(byte[] plain)
    {
        Plain = plain;
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal))
        {
            gzip.Write(plain);
        }
        Gzip = compressed.ToArray();
        Version = Convert.ToHexStringLower(SHA256.HashData(plain))[..16];
    }

    public static RedocBundle Load()
    {
        var assembly = typeof(Swashbuckle.AspNetCore.ReDoc.ReDocOptions).Assembly;
        using var resource = assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{assembly.GetName().Name} holds no {ResourceName}.");
        using var gzip = new GZipStream(resource, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var text = reader.ReadToEnd();
        foreach (var image in ExternalImages)
        {
            if (!text.Contains(image, StringComparison.Ordinal))
            {
                // A newer Redoc may name other addresses: the browser tests would see the request; say it here first.
                throw new InvalidOperationException($"The Redoc bundle no longer holds {image}; check what it fetches.");
            }
            text = text.Replace(image, "data:,", StringComparison.Ordinal);
        }
        return new RedocBundle(Encoding.UTF8.GetBytes(text));
    }
}
