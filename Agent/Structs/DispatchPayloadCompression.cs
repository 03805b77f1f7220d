using System.IO.Compression;

namespace Nomad.Agent.Structs;

/// <summary>
/// A dispatched job's payload as the state holds it (<see cref="Job.Payload"/>): compressed at rest, as Nomad keeps
/// it. Nomad uses snappy; the framework has none, so Brotli (System.IO.Compression) takes its place. The servers
/// compress once at dispatch; the job API and the client's dispatch_payload file get the original bytes back.
/// </summary>
public static class DispatchPayloadCompression
{
    /// <summary>The largest payload a dispatch accepts, before compression (Nomad's DispatchPayloadSizeLimit, 16 KiB).</summary>
    public const int SizeLimit = 16 * 1024;

    public static byte[] Compress(ReadOnlySpan<byte> payload)
    {
        var buffer = new byte[BrotliEncoder.GetMaxCompressedLength(payload.Length)];
        if (!BrotliEncoder.TryCompress(payload, buffer, out var written, quality: 5, window: 16))
            throw new InvalidOperationException("dispatch payload could not be compressed");
        return buffer[..written];
    }

    /// <summary>The original payload; at most <see cref="SizeLimit"/> bytes, since no larger one is ever stored.</summary>
    public static byte[] Decompress(ReadOnlySpan<byte> stored)
    {
        var buffer = new byte[SizeLimit];
        if (!BrotliDecoder.TryDecompress(stored, buffer, out var written))
            throw new InvalidDataException("dispatch payload is corrupt or larger than 16 KiB");
        return buffer[..written];
    }
}
