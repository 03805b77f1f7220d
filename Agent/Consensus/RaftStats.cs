#pragma warning disable DOTNEXT001
using System.Globalization;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;

namespace Nomad.Agent.Consensus;

/// <summary>The "raft" section of agent-info, with Nomad's keys.</summary>
internal static class RaftStats
{
    public static readonly IReadOnlyDictionary<string, string> NotStarted = new Dictionary<string, string>
    {
        ["state"] = "Shutdown",
        ["protocol_version"] = "3",
    };

    public static IReadOnlyDictionary<string, string> Collect(RaftCluster cluster, WriteAheadLog wal, StateMachineAdapter adapter)
    {
        var applied = wal.LastAppliedIndex;
        var committed = wal.LastCommittedEntryIndex;
        var leader = cluster.Leader;
        var isLeader = leader is { IsRemote: false };
        var (snapshotIndex, snapshotTerm) = adapter.LatestSnapshot;
        var voters = cluster.Members.Select(m => m.EndPoint.ToString()).Order(StringComparer.Ordinal).ToArray();

        return new Dictionary<string, string>
        {
            ["applied_index"] = Str(applied),
            ["commit_index"] = Str(committed),
            ["fsm_pending"] = Str(Math.Max(0, committed - applied)),
            // The library does not expose when a follower last heard from its leader.
            ["last_contact"] = isLeader ? "0" : leader is null ? "never" : "unknown",
            ["last_log_index"] = Str(wal.LastEntryIndex),
            // Term of the last applied entry: equal to the last log entry's term except for an uncommitted tail.
            ["last_log_term"] = Str(adapter.LastAppliedTerm),
            ["last_snapshot_index"] = Str(snapshotIndex),
            ["last_snapshot_term"] = Str(snapshotTerm),
            ["latest_configuration"] = "[" + string.Join(" ", voters.Select(v => $"{{Suffrage:Voter ID:{v} Address:{v}}}")) + "]",
            ["num_peers"] = Str(Math.Max(0, voters.Length - 1)),
            ["protocol_version"] = "3",
            // Without a known leader a member is electing (Candidate) unless it is still waiting to be added.
            ["state"] = isLeader ? "Leader" : leader is not null || cluster.Standby ? "Follower" : "Candidate",
            ["term"] = Str(((IPersistentState)wal).Term),
        };
    }

    private static string Str(long value) => value.ToString(CultureInfo.InvariantCulture);
}
