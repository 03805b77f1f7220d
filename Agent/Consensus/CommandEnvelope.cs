using System.Buffers;

namespace Nomad.Agent.Consensus;

/// <summary>
/// Every command we put in the log starts with a tag byte. It tells our commands apart from the entries the Raft
/// library writes itself (no-ops, and configuration entries that it hands over as empty payloads).
/// </summary>
internal static class CommandEnvelope
{
    private const byte UserCommand = 0x01;

    public static byte[] Wrap(ReadOnlySpan<byte> command)
    {
        var payload = new byte[command.Length + 1];
        payload[0] = UserCommand;
        command.CopyTo(payload.AsSpan(1));
        return payload;
    }

    /// <summary>Returns the command inside a log payload, or false for an entry that is not ours.</summary>
    public static bool TryUnwrap(in ReadOnlySequence<byte> payload, out ReadOnlyMemory<byte> command)
    {
        command = default;
        if (payload.IsEmpty || payload.FirstSpan[0] != UserCommand)
            return false;
        var body = payload.Slice(1);
        command = body.IsSingleSegment ? body.First : body.ToArray();
        return true;
    }
}
