namespace Nomad.Agent.Consensus;

/// <summary>
/// When the state machine asks the Raft library for a snapshot (after which the log before it is dropped): every
/// <c>entries</c> applied entries, as Nomad's snapshot_threshold, or sooner once the entries applied since the last
/// snapshot hold <c>bytes</c> of commands. The byte limit bounds the log a few large commands can pile up (ten
/// registrations of a 10 MB job are 100 MB of log, in RAM for -dev, whose log lives on tmpfs). The byte limit is
/// never below the last snapshot's size: a snapshot writes the whole state, so a large state is not rewritten
/// for every few megabytes of commands (the log then holds at most about one state's worth).
/// </summary>
internal sealed class SnapshotPolicy(long entries, long bytes)
{
    private long _entries;
    private long _bytes;
    private long _lastSnapshotBytes;

    /// <summary>Counts one applied entry of <paramref name="length"/> bytes; true when a snapshot is due (and starts counting again).</summary>
    public bool Applied(long length)
    {
        _entries++;
        _bytes += length;
        if (_entries < entries && _bytes < Math.Max(bytes, _lastSnapshotBytes)) return false;
        _entries = 0;
        _bytes = 0;
        return true;
    }

    /// <summary>A snapshot of <paramref name="size"/> bytes was written or restored: count from zero.</summary>
    public void Snapshotted(long size)
    {
        _entries = 0;
        _bytes = 0;
        _lastSnapshotBytes = size;
    }
}
