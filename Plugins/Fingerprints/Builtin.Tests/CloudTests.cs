namespace Nomad.Fingerprints.Tests;

/// <summary>
/// env_aws and env_gce against a real HTTP server on 127.0.0.1 standing in for the metadata service, and the
/// promise that without an override and without DMI evidence they send nothing anywhere.
/// </summary>
[NonParallelizable] // the env-var tests set process-wide variables
public sealed class CloudTests
{
    private static readonly Dictionary<string, string> AwsMetadata = new()
    {
        ["ami-id"] = "ami-1234",
        ["hostname"] = "ip-10-0-0-207.us-west-2.compute.internal",
        ["instance-id"] = "i-b3ba3875",
        ["instance-type"] = "m5.large",
        ["local-hostname"] = "ip-10-0-0-207.us-west-2.compute.internal",
        ["local-ipv4"] = "10.0.0.207",
        ["public-hostname"] = "ec2-54-191-117-175.us-west-2.compute.amazonaws.com",
        ["public-ipv4"] = "54.191.117.175",
        ["placement/availability-zone"] = "us-west-2a",
    };

    private const string AwsToken = "token-abc";

    /// <summary>IMDS: with <paramref name="requireToken"/>, GETs without the session token are refused (IMDSv2 required); otherwise the token API is absent (IMDSv1).</summary>
    private static FakeMetadataServer AwsServer(bool requireToken, IReadOnlyDictionary<string, string>? metadata = null) => new(req =>
    {
        metadata ??= AwsMetadata;
        if (req.PathAndQuery == "/latest/api/token")
            return requireToken && req.Method == "PUT" && req.Headers.ContainsKey("X-aws-ec2-metadata-token-ttl-seconds") ? (200, AwsToken) : (404, "");
        if (requireToken && req.Headers.GetValueOrDefault("X-aws-ec2-metadata-token") != AwsToken) return (401, "");
        const string prefix = "/latest/meta-data/";
        return req.Method == "GET" && req.PathAndQuery.StartsWith(prefix) && metadata.TryGetValue(req.PathAndQuery[prefix.Length..], out var v)
            ? (200, v + "\n")
            : (404, "");
    });

    private static FingerprintRequest AwsAt(FakeMetadataServer server, int speed = 0) => new()
    {
        Options = new Dictionary<string, string> { [EnvAwsFingerprinter.UrlOption] = server.BaseUrl + "latest/meta-data/" },
        NetworkSpeed = speed,
    };

    [Test]
    public async Task Aws_reads_instance_metadata_with_an_IMDSv2_token()
    {
        await using var server = AwsServer(requireToken: true);
        var run = await Run.OfAsync(new EnvAwsFingerprinter(), AwsAt(server));

        Assert.That(run.Response.Detected, Is.True, run.LogText);
        Assert.That(run.Response.Attributes, Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["platform.aws.ami-id"] = "ami-1234",
            ["unique.platform.aws.hostname"] = "ip-10-0-0-207.us-west-2.compute.internal",
            ["unique.platform.aws.instance-id"] = "i-b3ba3875",
            ["platform.aws.instance-type"] = "m5.large",
            ["unique.platform.aws.local-hostname"] = "ip-10-0-0-207.us-west-2.compute.internal",
            ["unique.platform.aws.local-ipv4"] = "10.0.0.207",
            ["unique.platform.aws.public-hostname"] = "ec2-54-191-117-175.us-west-2.compute.amazonaws.com",
            ["unique.platform.aws.public-ipv4"] = "54.191.117.175",
            ["platform.aws.placement.availability-zone"] = "us-west-2a",
            ["unique.network.ip-address"] = "10.0.0.207",
        }));
        Assert.That(run.Response.Links, Is.EquivalentTo(new Dictionary<string, string> { ["aws.ec2"] = "us-west-2a.i-b3ba3875" }));
        // m5.large is 500 Mbit/s in Nomad's table.
        Assert.That(run.Response.Resources?.Networks, Is.EqualTo(new[] { new NetworkFingerprint("eth0", "10.0.0.207/32", "10.0.0.207", 500) }));
        Assert.That(server.Requests.First().Method, Is.EqualTo("PUT"), "a token is asked for first");
        Assert.That(server.Requests.Where(r => r.Method == "GET").Select(r => r.Headers.GetValueOrDefault("X-aws-ec2-metadata-token")), Is.All.EqualTo(AwsToken));
    }

    [Test]
    public async Task Aws_falls_back_to_IMDSv1_and_skips_missing_keys_from_the_AWS_ENV_URL_variable()
    {
        var partial = AwsMetadata.Where(kv => kv.Key is not ("public-ipv4" or "public-hostname")).ToDictionary();
        await using var server = AwsServer(requireToken: false, partial);
        var saved = Environment.GetEnvironmentVariable(EnvAwsFingerprinter.UrlEnv);
        Environment.SetEnvironmentVariable(EnvAwsFingerprinter.UrlEnv, server.BaseUrl + "latest/meta-data/");
        try
        {
            var run = await Run.OfAsync(new EnvAwsFingerprinter(), new FingerprintRequest { NetworkSpeed = 100 });

            Assert.That(run.Response.Detected, Is.True, run.LogText);
            Assert.That(run.Attr("unique.platform.aws.instance-id"), Is.EqualTo("i-b3ba3875"));
            Assert.That(run.Response.Attributes, Does.Not.ContainKey("unique.platform.aws.public-ipv4"));
            Assert.That(run.Logged("DEBUG", "could not read attribute value: attribute=public-ipv4 error=\"status code: 404\""), Is.True, run.LogText);
            Assert.That(run.Response.Resources?.Networks?.Single().MBits, Is.EqualTo(100), "the configured speed wins over the table");
            Assert.That(server.Requests.Where(r => r.Method == "GET").Select(r => r.Headers.ContainsKey("X-aws-ec2-metadata-token")), Is.All.False);
        }
        finally
        {
            Environment.SetEnvironmentVariable(EnvAwsFingerprinter.UrlEnv, saved);
        }
    }

    [Test]
    public async Task Aws_is_not_detected_when_the_service_has_no_instance()
    {
        await using var server = AwsServer(requireToken: false, new Dictionary<string, string>());
        var run = await Run.OfAsync(new EnvAwsFingerprinter(), AwsAt(server));
        Assert.That(run.Response.Detected, Is.False);
    }

    [Test]
    public async Task Aws_is_not_detected_when_nothing_listens_at_the_url()
    {
        var port = FakeMetadataServer.FreePort();
        var run = await Run.OfAsync(new EnvAwsFingerprinter(), new FingerprintRequest
        {
            Options = new Dictionary<string, string> { [EnvAwsFingerprinter.UrlOption] = $"http://127.0.0.1:{port}/latest/meta-data/" },
        });
        Assert.That(run.Response.Detected, Is.False);
        Assert.That(run.Elapsed, Is.LessThan(CloudMetadataTimeoutPlusSlack));
        Assert.That(run.Lines.Any(l => l.Message.StartsWith("error querying AWS Metadata URL, skipping")), Is.True, run.LogText);
    }

    [TestCase("env_aws")]
    [TestCase("env_gce")]
    public async Task A_metadata_service_that_never_answers_is_given_up_after_the_2s_timeout(string name)
    {
        using var release = new ManualResetEventSlim();
        await using var server = new FakeMetadataServer(_ => { release.Wait(TimeSpan.FromSeconds(30)); return (200, "too late"); });
        try
        {
            IFingerprintPlugin fp = name == "env_aws" ? new EnvAwsFingerprinter() : new EnvGceFingerprinter();
            var option = name == "env_aws" ? EnvAwsFingerprinter.UrlOption : EnvGceFingerprinter.UrlOption;
            var run = await Run.OfAsync(fp, new FingerprintRequest
            {
                Options = new Dictionary<string, string> { [option] = server.BaseUrl + "meta/" },
            });
            Assert.That(run.Response.Detected, Is.False);
            Assert.That(run.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1.9)).And.LessThan(CloudMetadataTimeoutPlusSlack));
        }
        finally
        {
            release.Set(); // let the stand-in's request loop finish so it can be disposed
        }
    }

    private static readonly TimeSpan CloudMetadataTimeoutPlusSlack = TimeSpan.FromSeconds(3);

    private static Dictionary<string, string> GceMetadata => new()
    {
        ["hostname"] = "instance-1.c.project.internal",
        ["id"] = "12345",
        ["cpu-platform"] = "Intel Broadwell",
        ["scheduling/automatic-restart"] = "TRUE",
        ["scheduling/on-host-maintenance"] = "MIGRATE",
        ["machine-type"] = "projects/555555/machineTypes/n1-standard-1",
        ["zone"] = "projects/555555/zones/us-central1-f",
        ["network-interfaces/?recursive=true"] = """
            [{"accessConfigs":[{"externalIp":"104.44.55.66","type":"ONE_TO_ONE_NAT"},{"externalIp":"104.44.55.67","type":"ONE_TO_ONE_NAT"}],
              "forwardedIps":[],"ip":"10.240.0.5","network":"projects/555555/networks/default"}]
            """,
        ["tags"] = """["abc","def","unique.xyz"]""",
        ["attributes/?recursive=true"] = """{"ghi":"111","jkl":"222","unique.mno":"333"}""",
    };

    /// <summary>The GCE metadata server: answers only requests that carry <c>Metadata-Flavor: Google</c>.</summary>
    private static FakeMetadataServer GceServer() => new(req =>
    {
        const string prefix = "/computeMetadata/v1/instance/";
        if (req.Headers.GetValueOrDefault("Metadata-Flavor") != "Google") return (403, "missing Metadata-Flavor");
        return req.PathAndQuery.StartsWith(prefix) && GceMetadata.TryGetValue(req.PathAndQuery[prefix.Length..], out var v)
            ? (200, v + "\n")
            : (404, "");
    });

    [Test]
    public async Task Gce_reads_instance_metadata_networks_tags_and_attributes()
    {
        await using var server = GceServer();
        var run = await Run.OfAsync(new EnvGceFingerprinter(), new FingerprintRequest
        {
            Options = new Dictionary<string, string> { [EnvGceFingerprinter.UrlOption] = server.BaseUrl + "computeMetadata/v1/instance/" },
        });

        Assert.That(run.Response.Detected, Is.True, run.LogText);
        Assert.That(run.Response.Attributes, Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["unique.platform.gce.hostname"] = "instance-1.c.project.internal",
            ["unique.platform.gce.id"] = "12345",
            ["platform.gce.cpu-platform"] = "Intel Broadwell",
            ["platform.gce.scheduling.automatic-restart"] = "TRUE",
            ["platform.gce.scheduling.on-host-maintenance"] = "MIGRATE",
            ["platform.gce.machine-type"] = "n1-standard-1",
            ["platform.gce.zone"] = "us-central1-f",
            ["platform.gce.network.default"] = "true",
            ["unique.platform.gce.network.default.ip"] = "10.240.0.5",
            ["unique.platform.gce.network.default.external-ip.0"] = "104.44.55.66",
            ["unique.platform.gce.network.default.external-ip.1"] = "104.44.55.67",
            ["platform.gce.tag.abc"] = "true",
            ["platform.gce.tag.def"] = "true",
            ["unique.platform.gce.tag.xyz"] = "true",
            ["platform.gce.attr.ghi"] = "111",
            ["platform.gce.attr.jkl"] = "222",
            ["unique.platform.gce.attr.mno"] = "333",
        }));
        Assert.That(run.Response.Links, Is.EquivalentTo(new Dictionary<string, string> { ["gce"] = "12345" }));
        Assert.That(server.Requests.Select(r => r.Headers.GetValueOrDefault("Metadata-Flavor")), Is.All.EqualTo("Google"));
    }

    [Test]
    public async Task Gce_is_not_detected_when_the_service_refuses_and_says_so_as_Nomad()
    {
        // What the reference agent met: something at the metadata address answering 403.
        await using var server = new FakeMetadataServer(_ => (403, "forbidden"));
        var saved = Environment.GetEnvironmentVariable(EnvGceFingerprinter.UrlEnv);
        Environment.SetEnvironmentVariable(EnvGceFingerprinter.UrlEnv, server.BaseUrl + "computeMetadata/v1/instance/");
        try
        {
            var run = await Run.OfAsync(new EnvGceFingerprinter());
            Assert.That(run.Response.Detected, Is.False);
            Assert.That(run.Logged("DEBUG", "could not read value for attribute: attribute=machine-type resp_code=403"), Is.True, run.LogText);
        }
        finally
        {
            Environment.SetEnvironmentVariable(EnvGceFingerprinter.UrlEnv, saved);
        }
    }

    [Test]
    public async Task Gce_is_not_detected_when_nothing_listens_at_the_url()
    {
        var port = FakeMetadataServer.FreePort();
        var run = await Run.OfAsync(new EnvGceFingerprinter(), new FingerprintRequest
        {
            Options = new Dictionary<string, string> { [EnvGceFingerprinter.UrlOption] = $"http://127.0.0.1:{port}/computeMetadata/v1/instance/" },
        });
        Assert.That(run.Response.Detected, Is.False);
        Assert.That(run.Elapsed, Is.LessThan(CloudMetadataTimeoutPlusSlack));
        Assert.That(run.Logged("DEBUG", "error querying GCE Metadata URL, skipping"), Is.True, run.LogText);
    }

    [Test]
    public async Task Without_override_or_DMI_evidence_neither_cloud_sends_a_request()
    {
        Assume.That(Environment.GetEnvironmentVariable(EnvAwsFingerprinter.UrlEnv), Is.Null.Or.Empty);
        Assume.That(Environment.GetEnvironmentVariable(EnvGceFingerprinter.UrlEnv), Is.Null.Or.Empty);
        Assume.That(CloudMetadata.AwsEvidence(), Is.Null, "this machine looks like EC2");
        Assume.That(CloudMetadata.GceEvidence(), Is.Null, "this machine looks like GCE");

        using var outgoing = new OutgoingHttpRequests();

        // The observer does see the fingerprinters' requests when there are some.
        await using (var server = AwsServer(requireToken: false))
        {
            await Run.OfAsync(new EnvAwsFingerprinter(), AwsAt(server));
            Assert.That(outgoing.Seen.Select(u => u.Port), Does.Contain(server.Port), "the request observer works");
        }
        var seenBefore = outgoing.Seen.Count;

        var aws = await Run.OfAsync(new EnvAwsFingerprinter());
        var gce = await Run.OfAsync(new EnvGceFingerprinter());

        Assert.That(aws.Response, Is.SameAs(FingerprintResponse.NotDetected));
        Assert.That(gce.Response, Is.SameAs(FingerprintResponse.NotDetected));
        Assert.That(outgoing.Seen.Skip(seenBefore), Is.Empty, "no HTTP request at all");
        // Far below the 2 s metadata timeout: nothing was waited on.
        Assert.That(aws.Elapsed, Is.LessThan(TimeSpan.FromMilliseconds(500)));
        Assert.That(gce.Elapsed, Is.LessThan(TimeSpan.FromMilliseconds(500)));
        Assert.That(aws.Lines.Concat(gce.Lines).Select(l => l.Level), Is.All.EqualTo("TRACE"), "skipped quietly");
    }
}
