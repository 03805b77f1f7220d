namespace Nomad.Agent.Gossip;

public enum MemberEventKind
{
    Join,
    Leave,
    Failed,
    Update,
    Reap,
}

/// <summary>A membership change as this node saw it (Serf's member-join/leave/failed/update/reap).</summary>
public sealed record MemberEvent(MemberEventKind Kind, Member Member, TimeSpan At);
