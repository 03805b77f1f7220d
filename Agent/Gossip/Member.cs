using Nomad.Agent.Structs;

namespace Nomad.Agent.Gossip;

/// <summary>An immutable snapshot of one member.</summary>
public sealed record Member(
    string Name,
    string Address,
    MemberState State,
    uint Incarnation,
    IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>Nomad's status word for /v1/agent/members.</summary>
    public string Status => State switch
    {
        MemberState.Alive => "alive",
        MemberState.Suspect => "alive", // Serf reports suspects as alive
        MemberState.Dead => "failed",
        _ => "left",
    };

    public ServerMember ToServerMember()
    {
        var colon = Address.LastIndexOf(':');
        var host = colon < 0 ? Address : Address[..colon].Trim('[', ']');
        var port = colon < 0 ? 0 : int.TryParse(Address[(colon + 1)..], out var p) ? p : 0;
        return new ServerMember
        {
            Name = Name,
            Addr = host,
            Port = port,
            Tags = new Dictionary<string, string>(Tags),
            Status = Status,
        };
    }
}
