using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Cadence.Bench;

/// <summary>One import request as the benchmark saw it: its answer, its time and the server's peak memory growth.</summary>
sealed record MeasuredImport(int Status, string Report, TimeSpan Elapsed, long GrowthBytes, long BodyBytes)
{
    public bool Succeeded => Status is >= 200 and < 300;

    public double Seconds => Elapsed.TotalSeconds;

    public int Count(string what) => JsonDocument.Parse(Report).RootElement.GetProperty(what).GetInt32();

    public string Counts => Succeeded
        ? $"created {Count("created"):N0}, updated {Count("updated"):N0}, unchanged {Count("unchanged"):N0}, failed {Count("failed"):N0}"
        : Report[..Math.Min(300, Report.Length)];

    public static async Task<MeasuredImport> PostAsync(ServerProcess server, HttpClient client, string team, byte[] body, string mediaType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        var ((status, report, elapsed), growth) = await PeakMemory.MeasureAsync(server.Pid, async () =>
        {
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await client.PostAsync($"/v2/contacts/{team}/import", content);
                var text = await response.Content.ReadAsStringAsync();
                return ((int)response.StatusCode, text, clock.Elapsed);
            }
            catch (HttpRequestException e)
            {
                // A server that answers early (413) may close the connection while the body is still being sent.
                return (0, $"no answer: {e.Message}", clock.Elapsed);
            }
        });
        return new(status, report, elapsed, growth, body.LongLength);
    }
}

static class Units
{
    public static string Megabytes(long bytes) => $"{bytes / 1e6:N0} MB";

    public static string MegabytesPrecise(long bytes) => $"{bytes / 1e6:N1} MB";

    public static string Verdict(bool met) => met ? "PASS" : "MISS";
}
