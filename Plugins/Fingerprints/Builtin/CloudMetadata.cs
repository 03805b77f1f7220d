using System.Net;

namespace Nomad.Fingerprints;

/// <summary>
/// What the cloud fingerprinters share: local evidence of the cloud (DMI, read from sysfs, no traffic), where the
/// metadata service is (an override from options or the environment, else the link-local default only when the
/// machine is evidently that cloud), and an HTTP client that never goes through a proxy.
/// </summary>
internal static class CloudMetadata
{
    /// <summary>All requests of one fingerprint run together get this long, as Nomad's 2 s metadata timeout.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private const string DmiDir = "/sys/class/dmi/id";

    private static readonly Lazy<HttpClient> SharedClient = new(() => new HttpClient(new SocketsHttpHandler
    {
        UseProxy = false,                       // metadata services are reached directly, never via HTTP(S)_PROXY
        AllowAutoRedirect = false,
        ConnectTimeout = Timeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(10),
    })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan, // each run passes its own deadline
    });

    public static HttpClient Client => SharedClient.Value;

    /// <summary>The metadata URL the operator set (option first, then environment variable), or null.</summary>
    public static string? Override(IReadOnlyDictionary<string, string> options, string optionKey, string envVar) =>
        Options.String(options, optionKey)
        ?? (Environment.GetEnvironmentVariable(envVar) is { } env && !string.IsNullOrWhiteSpace(env) ? env.Trim() : null);

    /// <summary>A DMI value (<c>sys_vendor</c>, <c>product_name</c>, ...), empty when absent or unreadable.</summary>
    public static string Dmi(string name) => ProcFiles.FirstLine(Path.Combine(DmiDir, name)) ?? "";

    /// <summary>Local signs of an EC2 instance: Nitro's "Amazon EC2" vendor, or Xen's ec2-prefixed UUIDs and Amazon BIOS.</summary>
    public static string? AwsEvidence()
    {
        foreach (var name in (string[])["sys_vendor", "board_vendor", "bios_vendor", "product_name"])
        {
            var v = Dmi(name);
            if (v.Contains("Amazon", StringComparison.OrdinalIgnoreCase)) return $"{name}={v}";
        }
        var uuid = Dmi("product_uuid");
        if (uuid.StartsWith("ec2", StringComparison.OrdinalIgnoreCase)) return $"product_uuid={uuid}";
        var hvUuid = ProcFiles.FirstLine("/sys/hypervisor/uuid") ?? "";
        if (hvUuid.StartsWith("ec2", StringComparison.OrdinalIgnoreCase)) return $"hypervisor uuid={hvUuid}";
        var bios = Dmi("bios_version");
        return bios.Contains("amazon", StringComparison.OrdinalIgnoreCase) ? $"bios_version={bios}" : null;
    }

    /// <summary>Local signs of a GCE instance: "Google" vendor or "Google Compute Engine" product.</summary>
    public static string? GceEvidence()
    {
        foreach (var name in (string[])["sys_vendor", "product_name", "board_vendor", "bios_vendor", "board_name"])
        {
            var v = Dmi(name);
            if (v.StartsWith("Google", StringComparison.OrdinalIgnoreCase)) return $"{name}={v}";
        }
        return null;
    }

    /// <summary>The URL with exactly one trailing slash.</summary>
    public static string WithSlash(string url) => url.TrimEnd('/') + "/";

    /// <summary>A GET (or other method) with the given headers; returns status and body, or throws on transport failure or deadline.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> SendAsync(
        HttpMethod method, string url, IEnumerable<KeyValuePair<string, string>> headers, CancellationToken ct)
    {
        using var req = new HttpRequestMessage(method, url);
        foreach (var (k, v) in headers) req.Headers.TryAddWithoutValidation(k, v);
        using var resp = await Client.SendAsync(req, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        var body = await resp.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        return (resp.StatusCode, body);
    }
}
