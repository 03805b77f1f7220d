using System.Runtime.InteropServices;
using Nomad.Contracts;

namespace Nomad.Fingerprints;

/// <summary><c>cpu.arch</c>, named as Go's GOARCH (amd64, arm64, 386, ...), as Nomad reports it.</summary>
public sealed class ArchFingerprinter : IFingerprintPlugin
{
    public string Name => "arch";
    public TimeSpan? Period => null;

    public Task<FingerprintResponse> FingerprintAsync(FingerprintRequest request, CancellationToken ct = default)
        => Task.FromResult(new FingerprintResponse(true, new() { ["cpu.arch"] = GoArch(RuntimeInformation.OSArchitecture) }));

    /// <summary>.NET's architecture name in Go's spelling.</summary>
    internal static string GoArch(Architecture arch) => arch switch
    {
        Architecture.X64 => "amd64",
        Architecture.X86 => "386",
        Architecture.Arm64 => "arm64",
        Architecture.Arm or Architecture.Armv6 => "arm",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64le",
        Architecture.RiscV64 => "riscv64",
        Architecture.LoongArch64 => "loong64",
        Architecture.Wasm => "wasm",
        _ => arch.ToString().ToLowerInvariant(),
    };
}
