using Nomad.Contracts;

namespace Nomad.Fingerprints;

/// <summary><c>memory.totalbytes</c> (MemTotal of /proc/meminfo) and the node's MemoryMB, as Nomad.</summary>
public sealed class MemoryFingerprinter : IFingerprintPlugin
{
    private const long BytesPerMegabyte = 1024 * 1024;

    public string Name => "memory";
    public TimeSpan? Period => null;

    public Task<FingerprintResponse> FingerprintAsync(FingerprintRequest request, CancellationToken ct = default)
    {
        var total = ProcFiles.MemInfoValue(ProcFiles.ReadAll("/proc/meminfo"), "MemTotal")
                    ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (total <= 0)
        {
            new FingerprintLog(request).Warn("error reading memory information", ("error", "total memory is 0"));
            return Task.FromResult(FingerprintResponse.NotDetected);
        }
        var attrs = new Dictionary<string, string?> { ["memory.totalbytes"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        return Task.FromResult(new FingerprintResponse(true, attrs, new NodeResourcesFingerprint(MemoryMB: total / BytesPerMegabyte)));
    }
}
