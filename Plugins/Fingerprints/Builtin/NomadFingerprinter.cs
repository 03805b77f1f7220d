using Nomad.Contracts;

namespace Nomad.Fingerprints;

/// <summary><c>nomad.version</c>, <c>nomad.revision</c> and <c>nomad.advertise.address</c>, from what the agent says of itself.</summary>
public sealed class NomadFingerprinter : IFingerprintPlugin
{
    public string Name => "nomad";
    public TimeSpan? Period => null;

    public Task<FingerprintResponse> FingerprintAsync(FingerprintRequest request, CancellationToken ct = default)
    {
        var attrs = new Dictionary<string, string?>
        {
            ["nomad.advertise.address"] = request.HttpAdvertise,
            ["nomad.version"] = request.AgentVersion,
            ["nomad.revision"] = request.AgentRevision,
        };
        return Task.FromResult(new FingerprintResponse(true, attrs));
    }
}
