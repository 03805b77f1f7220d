using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler.Feasibility;

/// <summary>
/// Resolves a constraint's LTarget/RTarget against a node (Nomad's resolveTarget): a literal stays as it is,
/// <c>${attr.X}</c>, <c>${meta.X}</c>, <c>${node.unique.id}</c>, <c>${node.unique.name}</c>, <c>${node.datacenter}</c>
/// and <c>${node.class}</c> read the node. An unknown or missing attribute is "not found".
/// </summary>
public static class ConstraintTarget
{
    public static (string? Value, bool Found) Resolve(string target, Node node)
    {
        if (!target.StartsWith("${", StringComparison.Ordinal) || !target.EndsWith('}')) return (target, true);
        var name = target.AsSpan(2, target.Length - 3);
        switch (name)
        {
            case "node.unique.id": return (node.ID, true);
            case "node.unique.name": return (node.Name, true);
            case "node.datacenter": return (node.Datacenter, true);
            case "node.class": return (node.NodeClass, true);
        }
        if (name.StartsWith("attr."))
            return node.Attributes.TryGetValue(name[5..].ToString(), out var a) ? (a, true) : (null, false);
        if (name.StartsWith("meta."))
            return node.Meta.TryGetValue(name[5..].ToString(), out var m) ? (m, true) : (null, false);
        return (null, false);
    }
}
