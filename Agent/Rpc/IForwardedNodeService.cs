namespace Nomad.Agent.Rpc;

/// <summary>
/// A node service that forwards client writes to the leader also offers <see cref="LeaderOnly"/>: the same calls
/// served only if this server is the leader (a <c>NotLeaderException</c> otherwise), never forwarded again. A
/// server forwards to that target (its methods named with <see cref="MethodPrefix"/>), so two servers with stale
/// views of the leader cannot pass a call back and forth: one hop, then the sender waits for a leader and retries.
/// </summary>
public interface IForwardedNodeService
{
    const string MethodPrefix = "Forwarded.";

    INodeService LeaderOnly { get; }
}
