namespace Nomad.Agent.Gossip;

/// <summary>A member's state as this node sees it.</summary>
public enum MemberState : byte
{
    Alive = 0,
    Suspect = 1,
    /// <summary>Failed: suspicion expired without refutation (Serf/Nomad show "failed").</summary>
    Dead = 2,
    /// <summary>Left gracefully (broadcast its own leave intent).</summary>
    Left = 3,
}
