using Nomad.Agent.Structs;
using Nomad.Cli.Api;

namespace Nomad.Cli.Output;

/// <summary>The node tables of `nomad node status`: the list, and the candidates of an ambiguous prefix.</summary>
public static class NodeListFormatter
{
    /// <summary>`nomad node status`: one row per node; -verbose shows full IDs plus Address and Version. Empty when there are no nodes.</summary>
    public static string List(IReadOnlyList<NodeListStub> nodes, bool verbose)
    {
        if (nodes.Count == 0) return "";

        var header = new List<string> { "ID", "DC", "Name", "Class" };
        if (verbose) header.AddRange(["Address", "Version"]);
        header.AddRange(["Drain", "Eligibility", "Status"]);

        var rows = new List<IReadOnlyList<string>> { header };
        foreach (var node in nodes)
        {
            var row = new List<string> { Ids.Display(node.ID, verbose), node.Datacenter, node.Name, node.NodeClass };
            if (verbose) row.AddRange([node.Address, node.Version]);
            row.AddRange([Bool(node.Drain), node.SchedulingEligibility, node.Status]);
            rows.Add(row);
        }
        return Columns.Table(rows);
    }

    /// <summary>The nodes an ambiguous prefix matched, so the user can pick a longer one.</summary>
    public static string Candidates(IReadOnlyList<NodeListStub> nodes, bool verbose)
    {
        var rows = new List<IReadOnlyList<string>> { new[] { "ID", "DC", "Name", "Class", "Drain", "Eligibility", "Status" } };
        rows.AddRange(nodes.Select(n => (IReadOnlyList<string>)
            [Ids.Display(n.ID, verbose), n.Datacenter, n.Name, n.NodeClass, Bool(n.Drain), n.SchedulingEligibility, n.Status]));
        return Columns.Table(rows);
    }

    public static string Bool(bool value) => value ? "true" : "false";
}
