using System.Text;

namespace Cadence.Docs;

/// <summary>The files in Docs/Assets, embedded in the executable (Cadence.csproj).</summary>
public static class DocsAssets
{
    public static byte[] Bytes(string name)
    {
        using var stream = typeof(DocsAssets).Assembly.GetManifestResourceStream("Cadence.Docs." + name)
            ?? throw new InvalidOperationException($"Docs/Assets/{name} is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public static string Text(string name) => Encoding.UTF8.GetString(Bytes(name));
}
