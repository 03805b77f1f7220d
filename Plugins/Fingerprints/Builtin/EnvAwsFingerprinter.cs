using System.Net;
using System.Text.RegularExpressions;
using Nomad.Contracts;

namespace Nomad.Fingerprints;

/// <summary>
/// EC2 instance metadata: <c>platform.aws.*</c> / <c>unique.platform.aws.*</c>, the instance's network (eth0,
/// local-ipv4) and the <c>aws.ec2</c> link, as Nomad 0.11. Talks to the metadata service only when it is
/// overridden (option <c>fingerprint.env_aws.url</c> or env <c>AWS_ENV_URL</c>, e.g.
/// <c>http://127.0.0.1:8080/latest/meta-data/</c>) or the DMI tables say this is EC2; otherwise it is quietly not detected.
/// IMDSv2 is used when the service offers a token (PUT <c>…/latest/api/token</c>), IMDSv1 otherwise.
/// </summary>
public sealed class EnvAwsFingerprinter : IFingerprintPlugin
{
    public const string UrlOption = "fingerprint.env_aws.url";
    public const string UrlEnv = "AWS_ENV_URL";
    public const string DefaultUrl = "http://169.254.169.254/latest/meta-data/";

    /// <summary>Metadata keys and whether each identifies the node (then it goes under <c>unique.</c>), as Nomad 0.11.</summary>
    internal static readonly (string Key, bool Unique)[] Keys =
    [
        ("ami-id", false),
        ("hostname", true),
        ("instance-id", true),
        ("instance-type", false),
        ("local-hostname", true),
        ("local-ipv4", true),
        ("public-hostname", true),
        ("public-ipv4", true),
        ("placement/availability-zone", false),
    ];

    /// <summary>Nomad's rough EC2 network speeds (Mbit/s) by instance type; specific types first.</summary>
    private static readonly (Regex Pattern, int Mbits)[] SpeedTable =
    [
        (new Regex("t2.nano"), 30), (new Regex("t2.micro"), 70), (new Regex("t2.small"), 125),
        (new Regex("t2.medium"), 300), (new Regex("m3.medium"), 400), (new Regex("c4.8xlarge"), 4000),
        (new Regex("x1.16xlarge"), 5000), (new Regex(@".*\.large"), 500), (new Regex(@".*\.xlarge"), 750),
        (new Regex(@".*\.2xlarge"), 1000), (new Regex(@".*\.4xlarge"), 2000), (new Regex(@".*\.8xlarge"), 10000),
        (new Regex(@".*\.10xlarge"), 10000), (new Regex(@".*\.16xlarge"), 10000), (new Regex(@".*\.32xlarge"), 10000),
    ];

    public string Name => "env_aws";
    public TimeSpan? Period => null;

    public async Task<FingerprintResponse> FingerprintAsync(FingerprintRequest request, CancellationToken ct = default)
    {
        var log = new FingerprintLog(request);
        var url = CloudMetadata.Override(request.Options, UrlOption, UrlEnv);
        if (url is null)
        {
            var evidence = CloudMetadata.AwsEvidence();
            if (evidence is null)
            {
                log.Trace("no sign of EC2 in DMI and no metadata URL configured; not querying the metadata service");
                return FingerprintResponse.NotDetected;
            }
            log.Trace("DMI suggests EC2; querying the metadata service", ("evidence", evidence));
            url = DefaultUrl;
        }

        var metaData = CloudMetadata.WithSlash(url);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(CloudMetadata.Timeout);
        try
        {
            return await FingerprintAsync(request, metaData, log, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            // Unreachable or too slow: not on AWS (Nomad: "if it's a URL error, assume we're not in an AWS environment").
            log.Debug("error querying AWS Metadata URL, skipping", ("error", e.Message));
            return FingerprintResponse.NotDetected;
        }
    }

    private static async Task<FingerprintResponse> FingerprintAsync(FingerprintRequest request, string metaData, FingerprintLog log, CancellationToken ct)
    {
        var headers = new List<KeyValuePair<string, string>>();
        var token = await TokenAsync(metaData, ct).ConfigureAwait(false);
        if (token is not null) headers.Add(new("X-aws-ec2-metadata-token", token));

        // Available(): the instance ID must be readable.
        var (probeStatus, probe) = await CloudMetadata.SendAsync(HttpMethod.Get, metaData + "instance-id", headers, ct).ConfigureAwait(false);
        if (probeStatus != HttpStatusCode.OK || probe.Trim().Length == 0)
        {
            log.Debug("error querying AWS Metadata URL, skipping", ("status", (int)probeStatus));
            return FingerprintResponse.NotDetected;
        }

        var attrs = new Dictionary<string, string?>();
        foreach (var (key, unique) in Keys)
        {
            var (status, body) = await CloudMetadata.SendAsync(HttpMethod.Get, metaData + key, headers, ct).ConfigureAwait(false);
            if (status != HttpStatusCode.OK)
            {
                log.Debug("could not read attribute value", ("attribute", key), ("error", $"status code: {(int)status}"));
                continue;
            }
            var name = "platform.aws." + key.Replace('/', '.');
            attrs[unique ? "unique." + name : name] = body.Trim();
        }

        List<NetworkFingerprint>? networks = null;
        if (attrs.GetValueOrDefault("unique.platform.aws.local-ipv4") is { Length: > 0 } ip)
        {
            attrs["unique.network.ip-address"] = ip;
            var mbits = request.NetworkSpeed;
            if (mbits == 0) mbits = LinkSpeed(attrs.GetValueOrDefault("platform.aws.instance-type") ?? "");
            if (mbits == 0) mbits = NetworkFingerprinter.DefaultNetworkSpeed;
            networks = [new NetworkFingerprint("eth0", ip + "/32", ip, mbits)];
        }

        var links = new Dictionary<string, string>
        {
            ["aws.ec2"] = $"{attrs.GetValueOrDefault("platform.aws.placement.availability-zone")}.{attrs.GetValueOrDefault("unique.platform.aws.instance-id")}",
        };
        return new FingerprintResponse(true, attrs, networks is null ? null : new NodeResourcesFingerprint(Networks: networks), links);
    }

    /// <summary>An IMDSv2 session token, or null when the service offers none (IMDSv1 only, or an older stand-in).</summary>
    private static async Task<string?> TokenAsync(string metaData, CancellationToken ct)
    {
        const string suffix = "meta-data/";
        if (!metaData.EndsWith(suffix, StringComparison.Ordinal)) return null;
        var tokenUrl = metaData[..^suffix.Length] + "api/token";
        var (status, body) = await CloudMetadata.SendAsync(HttpMethod.Put, tokenUrl,
            [new("X-aws-ec2-metadata-token-ttl-seconds", "21600")], ct).ConfigureAwait(false);
        return status == HttpStatusCode.OK && body.Trim().Length > 0 ? body.Trim() : null;
    }

    /// <summary>Nomad's approximate link speed for an instance type, 0 when unknown.</summary>
    internal static int LinkSpeed(string instanceType)
    {
        foreach (var (pattern, mbits) in SpeedTable)
            if (pattern.IsMatch(instanceType)) return mbits;
        return 0;
    }
}
