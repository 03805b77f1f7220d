#pragma warning disable DOTNEXT001 // the library marks its state-machine API experimental
using System.Globalization;
using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.Extensions.Logging;

namespace Nomad.Agent.Consensus;

/// <summary>
/// Drives our <see cref="IStateMachine"/> from the Raft log: applies committed commands in order, completes the
/// proposer's waiter (passed as the entry's context), and asks the library for a snapshot every
/// <see cref="SnapshotPolicy"/> says so. Snapshots are files named "index-term" in <c>snapshotDir</c>.
/// </summary>
internal sealed class StateMachineAdapter(DirectoryInfo snapshotDir, IStateMachine fsm, SnapshotPolicy snapshots, ILogger log)
    : SimpleStateMachine(snapshotDir)
{
    private long _lastAppliedTerm;

    /// <summary>Term of the last entry applied (ours or the library's).</summary>
    public long LastAppliedTerm => Volatile.Read(ref _lastAppliedTerm);

    public (long Index, long Term) LatestSnapshot
        => ((ISnapshotManager)this).Snapshot is { } s ? (s.Index, s.Term) : (0, 0);

    protected override ValueTask<bool> ApplyAsync(LogEntry entry, CancellationToken token)
    {
        Volatile.Write(ref _lastAppliedTerm, entry.Term);
        var waiter = entry.Context as TaskCompletionSource<ApplyResult>;
        long length = 0;

        // Configuration entries must never reach the FSM; the library should have swapped them for empty entries
        // already (see RaftConsensus.StartAsync for the restart case where it did not).
        if (!entry.IsConfiguration && entry.TryGetPayload(out var payload) && CommandEnvelope.TryUnwrap(payload, out var command))
        {
            length = payload.Length;
            var index = (ulong)entry.Index;
            try
            {
                var response = fsm.Apply(index, command.Span);
                waiter?.TrySetResult(new ApplyResult(index, response));
            }
            catch (Exception e)
            {
                // An FSM bug must not stop the log: every server applies the same entry, so report and move on.
                log.LogError(e, "state machine failed to apply index {Index}", entry.Index);
                waiter?.TrySetException(e);
            }
        }

        return ValueTask.FromResult(snapshots.Applied(length));
    }

    protected override async ValueTask PersistAsync(IAsyncBinaryWriter writer, CancellationToken token)
    {
        // The library does not apply further entries until this snapshot is finished, so the state is stable here.
        using var buffer = new MemoryStream();
        fsm.WriteSnapshot(buffer);
        snapshots.Snapshotted(buffer.Length);
        await writer.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), null, token).ConfigureAwait(false);
    }

    protected override ValueTask RestoreAsync(FileInfo snapshotFile, CancellationToken token)
    {
        var index = ulong.Parse(snapshotFile.Name.Split('-')[0], CultureInfo.InvariantCulture);
        using var stream = snapshotFile.OpenRead();
        fsm.RestoreSnapshot(stream, index);
        snapshots.Snapshotted(snapshotFile.Length);
        return ValueTask.CompletedTask;
    }
}
