using Nomad.Agent.Structs;

namespace Nomad.Agent.Server;

/// <summary>Checks a node registration; each failure names the field.</summary>
public static class NodeValidation
{
    public static void Validate(Node node)
    {
        if (string.IsNullOrWhiteSpace(node.ID)) throw new BadRequestException("missing node ID for client registration");
        if (!Guid.TryParse(node.ID, out _)) throw new BadRequestException($"node ID must be a UUID, got \"{node.ID}\"");
        if (string.IsNullOrWhiteSpace(node.SecretID)) throw new BadRequestException("missing node secret ID for client registration");
        if (string.IsNullOrWhiteSpace(node.Datacenter)) throw new BadRequestException("missing datacenter for client registration");
        if (string.IsNullOrWhiteSpace(node.Name)) throw new BadRequestException("missing node name for client registration");
        if (!NodeStatus.IsValid(node.Status)) throw new BadRequestException($"invalid status \"{node.Status}\" for node");
    }
}
