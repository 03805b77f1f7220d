using System.Globalization;
using Nomad.Contracts;

namespace Nomad.Fingerprints;

/// <summary>
/// <c>unique.storage.volume</c> (the device of the mount holding the alloc dir, as df's Filesystem column),
/// <c>unique.storage.bytestotal</c>, <c>unique.storage.bytesfree</c> (df's Available) and the node's DiskMB (free MiB),
/// as Nomad. Measured once at start, as Nomad (not periodic).
/// </summary>
public sealed class StorageFingerprinter : IFingerprintPlugin
{
    private const ulong BytesPerMegabyte = 1024 * 1024;

    public string Name => "storage";
    public TimeSpan? Period => null;

    public Task<FingerprintResponse> FingerprintAsync(FingerprintRequest request, CancellationToken ct = default)
    {
        // Nomad: an unset alloc dir means the working directory.
        var storageDir = request.AllocDir.Length > 0 ? request.AllocDir : Directory.GetCurrentDirectory();
        DiskUsage usage;
        try
        {
            usage = Measure(storageDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            throw new InvalidOperationException($"failed to determine disk space for {storageDir}: {e.Message}", e);
        }

        var attrs = new Dictionary<string, string?>
        {
            ["unique.storage.volume"] = usage.Volume,
            ["unique.storage.bytestotal"] = usage.Total.ToString(CultureInfo.InvariantCulture),
            ["unique.storage.bytesfree"] = usage.Free.ToString(CultureInfo.InvariantCulture),
        };
        return Task.FromResult(new FingerprintResponse(true, attrs, new NodeResourcesFingerprint(DiskMB: (long)(usage.Free / BytesPerMegabyte))));
    }

    /// <summary>Measures the filesystem holding <paramref name="path"/> (or its nearest existing ancestor, if the alloc dir is not made yet).</summary>
    internal static DiskUsage Measure(string path)
    {
        var existing = Path.GetFullPath(path);
        while (!Directory.Exists(existing) && !File.Exists(existing))
            existing = Path.GetDirectoryName(existing) ?? "/";
        var real = Libc.RealPath(existing) ?? existing;

        var (total, free) = Libc.DiskSpace(real);
        var mount = MountInfo.Holding(MountInfo.ReadSelf(), real);
        return new DiskUsage(mount?.Source ?? "", total, free);
    }
}

/// <summary>A filesystem's device and size in bytes.</summary>
internal sealed record DiskUsage(string Volume, ulong Total, ulong Free);
