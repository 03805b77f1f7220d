namespace Nomad.Agent.Gossip;

/// <summary>One protocol message; several are packed into a datagram (see <see cref="MessageCodec"/>).</summary>
public abstract record GossipMessage;

/// <summary>Direct probe. <see cref="Target"/> guards against a reused address answering for someone else.</summary>
public sealed record PingMessage(uint SeqNo, string Target, string Source) : GossipMessage;

/// <summary>Ask the receiver to probe <see cref="Target"/> for us (SWIM ping-req).</summary>
public sealed record IndirectPingMessage(uint SeqNo, string Target, string TargetAddress, bool WantNack, string Source) : GossipMessage;

public sealed record AckMessage(uint SeqNo) : GossipMessage;

/// <summary>An intermediary could not reach the target: tells the prober its own link works (Lifeguard).</summary>
public sealed record NackMessage(uint SeqNo) : GossipMessage;

public sealed record SuspectMessage(uint Incarnation, string Node, string From) : GossipMessage;

public sealed record AliveMessage(uint Incarnation, string Node, string Address, IReadOnlyDictionary<string, string> Tags) : GossipMessage;

/// <summary>Declares <see cref="Node"/> failed; when <c>From == Node</c> it is a graceful leave intent.</summary>
public sealed record DeadMessage(uint Incarnation, string Node, string From) : GossipMessage;

/// <summary>Full membership state, exchanged over the reliable channel.</summary>
public sealed record PushPullMessage(bool Join, IReadOnlyList<PushPullEntry> States) : GossipMessage;

public sealed record PushPullEntry(string Name, string Address, uint Incarnation, MemberState State, IReadOnlyDictionary<string, string> Tags);
