using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nomad.Contracts;

namespace Nomad.Fingerprints;

/// <summary>
/// GCE instance metadata (header <c>Metadata-Flavor: Google</c>): <c>platform.gce.*</c> / <c>unique.platform.gce.*</c>
/// (id, hostname, zone, machine-type, cpu-platform, scheduling, networks, tags, attributes) and the <c>gce</c> link,
/// as Nomad. Talks to the metadata service only when it is overridden (option <c>fingerprint.env_gce.url</c> or env
/// <c>GCE_ENV_URL</c>, e.g. <c>http://127.0.0.1:8080/computeMetadata/v1/instance/</c>) or the DMI tables say this is
/// GCE; otherwise it is quietly not detected.
/// </summary>
public sealed partial class EnvGceFingerprinter : IFingerprintPlugin
{
    public const string UrlOption = "fingerprint.env_gce.url";
    public const string UrlEnv = "GCE_ENV_URL";
    public const string DefaultUrl = "http://169.254.169.254/computeMetadata/v1/instance/";

    /// <summary>Keys read as they are, and whether each identifies the node, as Nomad.</summary>
    internal static readonly (string Key, bool Unique)[] Keys =
    [
        ("hostname", true),
        ("id", true),
        ("cpu-platform", false),
        ("scheduling/automatic-restart", false),
        ("scheduling/on-host-maintenance", false),
    ];

    /// <summary>Keys whose value is a path (<c>projects/1/zones/us-central1-f</c>): only the last segment is kept.</summary>
    internal static readonly string[] PathKeys = ["machine-type", "zone"];

    private static readonly KeyValuePair<string, string>[] FlavorHeader = [new("Metadata-Flavor", "Google")];

    public string Name => "env_gce";
    public TimeSpan? Period => null;

    public async Task<FingerprintResponse> FingerprintAsync(FingerprintRequest request, CancellationToken ct = default)
    {
        var log = new FingerprintLog(request);
        var url = CloudMetadata.Override(request.Options, UrlOption, UrlEnv);
        if (url is null)
        {
            var evidence = CloudMetadata.GceEvidence();
            if (evidence is null)
            {
                log.Trace("no sign of GCE in DMI and no metadata URL configured; not querying the metadata service");
                return FingerprintResponse.NotDetected;
            }
            log.Trace("DMI suggests GCE; querying the metadata service", ("evidence", evidence));
            url = DefaultUrl;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(CloudMetadata.Timeout);
        var session = new Session(CloudMetadata.WithSlash(url), log, deadline.Token, ct);
        try
        {
            return await FingerprintAsync(session, log).ConfigureAwait(false);
        }
        catch (UnreachableException e) when (!ct.IsCancellationRequested)
        {
            // Nomad: "If it's a URL error, assume we're not actually in an GCE environment."
            log.Debug("error querying GCE attribute; skipping", ("attribute", e.Attribute));
            return FingerprintResponse.NotDetected;
        }
    }

    private static async Task<FingerprintResponse> FingerprintAsync(Session s, FingerprintLog log)
    {
        // isGCE: the machine type must look like projects/<p>/machineTypes/<t>.
        string machineType;
        try { machineType = await s.GetAsync("machine-type").ConfigureAwait(false); }
        catch (UnreachableException)
        {
            log.Debug("error querying GCE Metadata URL, skipping");
            return FingerprintResponse.NotDetected;
        }
        if (!MachineTypePath().IsMatch(machineType)) return FingerprintResponse.NotDetected;

        var attrs = new Dictionary<string, string?>();
        foreach (var (key, unique) in Keys)
        {
            var value = await s.GetAsync(key).ConfigureAwait(false);
            var name = "platform.gce." + key.Replace('/', '.');
            attrs[unique ? "unique." + name : name] = value.Trim('\n');
        }
        foreach (var key in PathKeys)
        {
            var value = await s.GetAsync(key).ConfigureAwait(false);
            attrs["platform.gce." + key] = LastToken(value).Trim('\n');
        }

        // Internal and external IPs, if any.
        string interfaces;
        try
        {
            interfaces = await s.GetAsync("network-interfaces/", recursive: true).ConfigureAwait(false);
            AddNetworks(attrs, interfaces, log);
        }
        catch (UnreachableException e)
        {
            log.Warn("error retrieving network interface information", ("error", e.InnerException?.Message ?? e.Message));
        }

        var tags = await s.GetAsync("tags").ConfigureAwait(false);
        try
        {
            using var doc = JsonDocument.Parse(tags);
            foreach (var tag in doc.RootElement.EnumerateArray())
                attrs[Namespaced("platform.gce.tag.", tag.GetString() ?? "")] = "true";
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            log.Warn("error decoding instance tags", ("error", e.Message));
        }

        var instanceAttributes = await s.GetAsync("attributes/", recursive: true).ConfigureAwait(false);
        try
        {
            using var doc = JsonDocument.Parse(instanceAttributes);
            foreach (var p in doc.RootElement.EnumerateObject())
                attrs[Namespaced("platform.gce.attr.", p.Name)] = (p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText()).Trim('\n');
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            log.Warn("error decoding instance attributes", ("error", e.Message));
        }

        Dictionary<string, string>? links = null;
        if (attrs.GetValueOrDefault("unique.platform.gce.id") is { } id) links = new() { ["gce"] = id };
        return new FingerprintResponse(true, attrs, null, links);
    }

    private static void AddNetworks(Dictionary<string, string?> attrs, string json, FingerprintLog log)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            foreach (var intf in doc.RootElement.EnumerateArray())
            {
                var prefix = "platform.gce.network." + LastToken(Str(intf, "network"));
                attrs[prefix] = "true";
                attrs["unique." + prefix + ".ip"] = Str(intf, "ip").Trim('\n');
                if (!TryGet(intf, "accessConfigs", out var configs) || configs.ValueKind != JsonValueKind.Array) continue;
                var index = 0;
                foreach (var config in configs.EnumerateArray())
                    attrs[$"unique.{prefix}.external-ip.{index++}"] = Str(config, "externalIp");
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            log.Warn("error decoding network interface information", ("error", e.Message));
        }
    }

    /// <summary>A <c>unique.</c>-prefixed tag or attribute name moves the prefix to the front of the whole attribute, as Nomad.</summary>
    private static string Namespaced(string attr, string name) =>
        name.StartsWith("unique.", StringComparison.Ordinal) ? "unique." + attr + name["unique.".Length..] : attr + name;

    private static string LastToken(string s) => s[(s.LastIndexOf('/') + 1)..];

    // Go's encoding/json matches field names case-insensitively.
    private static bool TryGet(JsonElement e, string name, out JsonElement value)
    {
        value = default;
        if (e.ValueKind != JsonValueKind.Object) return false;
        foreach (var p in e.EnumerateObject())
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) { value = p.Value; return true; }
        return false;
    }

    private static string Str(JsonElement e, string name) =>
        TryGet(e, name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";

    [GeneratedRegex("projects/.+/machineTypes/.+")]
    private static partial Regex MachineTypePath();

    /// <summary>One run's requests against the metadata service, under one deadline.</summary>
    private sealed class Session(string baseUrl, FingerprintLog log, CancellationToken ct, CancellationToken caller)
    {
        /// <summary>
        /// The attribute's value. As Nomad, a non-200 answer is logged and read as an empty value;
        /// a transport failure (refused, timeout) throws <see cref="UnreachableException"/>.
        /// </summary>
        public async Task<string> GetAsync(string attribute, bool recursive = false)
        {
            var url = baseUrl + attribute + (recursive ? "?recursive=true" : "");
            HttpStatusCode status;
            string body;
            try
            {
                (status, body) = await CloudMetadata.SendAsync(HttpMethod.Get, url, FlavorHeader, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !caller.IsCancellationRequested)
            {
                // Refused, unreachable or past the deadline; the caller's own cancellation propagates as such.
                log.Debug("could not read value for attribute", ("attribute", attribute), ("error", e.Message));
                throw new UnreachableException(attribute, e);
            }
            if (status != HttpStatusCode.OK)
            {
                log.Debug("could not read value for attribute", ("attribute", attribute), ("resp_code", (int)status));
                return "";
            }
            return body;
        }
    }

    private sealed class UnreachableException(string attribute, Exception inner)
        : Exception($"GCE metadata unreachable reading {attribute}", inner)
    {
        public string Attribute { get; } = attribute;
    }
}
