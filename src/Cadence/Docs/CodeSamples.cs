using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cadence.Docs;

/// <summary>
/// One call as a campus script makes it, in curl, Python requests and PowerShell Invoke-RestMethod, for Redoc's
/// x-codeSamples. curl and Python send the credential with HTTP Basic, PowerShell in the X-Api-Key and
/// X-Api-Secret headers, so both forms appear; the key and secret come from the environment, never the script.
/// </summary>
public static class CodeSamples
{
    public static JsonArray For(string method, string url, JsonNode? body, bool anonymous) =>
    [
        Sample("Shell", "curl", Curl(method, url, body, anonymous)),
        Sample("Python", "Python", Python(method, url, body, anonymous)),
        Sample("PowerShell", "PowerShell", PowerShell(method, url, body, anonymous)),
    ];

    static JsonObject Sample(string lang, string label, string source) => new() { ["lang"] = lang, ["label"] = label, ["source"] = source };

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    static string Json(JsonNode body) => body.ToJsonString(Indented);

    static string Curl(string method, string url, JsonNode? body, bool anonymous)
    {
        var text = new StringBuilder("curl");
        if (!anonymous)
        {
            text.Append(" -u \"$CADENCE_KEY:$CADENCE_SECRET\"");
        }
        if (method != "GET")
        {
            text.Append(" -X ").Append(method);
        }
        text.Append(" \"").Append(url).Append('"');
        if (body is not null)
        {
            // Single quotes keep the shell away from the JSON; a quote inside it is closed, escaped and reopened.
            text.Append(" \\\n  -H \"Content-Type: application/json\" \\\n  -d '").Append(Json(body).Replace("'", "'\\''")).Append('\'');
        }
        return text.ToString();
    }

    static string Python(string method, string url, JsonNode? body, bool anonymous)
    {
        var text = new StringBuilder(anonymous ? "import requests\n\n" : "import os\n\nimport requests\n\n");
        text.Append("response = requests.").Append(method.ToLowerInvariant()).Append("(\n    \"").Append(url).Append("\",\n");
        if (!anonymous)
        {
            text.Append("    auth=(os.environ[\"CADENCE_KEY\"], os.environ[\"CADENCE_SECRET\"]),\n");
        }
        if (body is not null)
        {
            text.Append("    json=").Append(PythonLiteral(body, "    ")).Append(",\n");
        }
        text.Append("    timeout=60,\n)\nresponse.raise_for_status()\n");
        text.Append(method == "DELETE" ? "" : "print(response.json())\n");
        return text.ToString();
    }

    static string PowerShell(string method, string url, JsonNode? body, bool anonymous)
    {
        var text = new StringBuilder();
        var arguments = new StringBuilder($"Invoke-RestMethod -Method {char.ToUpperInvariant(method[0])}{method[1..].ToLowerInvariant()} -Uri \"{url.Replace("$", "`$")}\"");
        if (!anonymous)
        {
            text.Append("$headers = @{ \"X-Api-Key\" = $env:CADENCE_KEY; \"X-Api-Secret\" = $env:CADENCE_SECRET }\n");
            arguments.Append(" -Headers $headers");
        }
        if (body is not null)
        {
            // A single-quoted here-string takes the JSON as it is: nothing in it is expanded.
            text.Append("$body = @'\n").Append(Json(body)).Append("\n'@\n");
            arguments.Append(" -ContentType \"application/json\" -Body $body");
        }
        return text.Append(arguments).Append('\n').ToString();
    }

    /// <summary>JSON written as a Python literal: the same text but for True, False and None.</summary>
    static string PythonLiteral(JsonNode? node, string indent) => node switch
    {
        null => "None",
        JsonObject o when o.Count == 0 => "{}",
        JsonObject o => "{\n" + string.Join(",\n", o.Select(p => $"{indent}    {JsonSerializer.Serialize(p.Key)}: {PythonLiteral(p.Value, indent + "    ")}")) + $",\n{indent}}}",
        JsonArray a when a.Count == 0 => "[]",
        JsonArray a => "[\n" + string.Join(",\n", a.Select(v => $"{indent}    {PythonLiteral(v, indent + "    ")}")) + $",\n{indent}]",
        JsonValue v when v.GetValueKind() == JsonValueKind.True => "True",
        JsonValue v when v.GetValueKind() == JsonValueKind.False => "False",
        _ => node.ToJsonString(Indented),
    };
}
