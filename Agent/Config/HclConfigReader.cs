using Nomad.Agent.Hcl;

namespace Nomad.Agent.Config;

/// <summary>
/// Turns a parsed HCL file into a <see cref="ConfigObject"/>. A block without labels is an entry whose value
/// is its body; labelled blocks of one type are gathered into one entry keyed by label, the shape
/// HCL-in-JSON uses (<c>plugin "a" {}</c> → <c>"plugin": {"a": {...}}</c>). The blocks this agent decodes must
/// have their number of labels: an unnamed <c>plugin { }</c> is an error, not a plugin named after its first key.
/// </summary>
internal static class HclConfigReader
{
    public static ConfigObject Read(HclBody body) => ReadBody(body, "");

    /// <summary>Labels each decoded block takes, by path; others (plugin config, ignored Nomad keys) are not checked.</summary>
    private static readonly Dictionary<string, int> LabelCounts = new(StringComparer.Ordinal)
    {
        ["plugin"] = 1,
        ["server"] = 0, ["client"] = 0, ["ports"] = 0, ["addresses"] = 0, ["advertise"] = 0,
        ["server.server_join"] = 0, ["client.reserved"] = 0, ["client.meta"] = 0, ["client.options"] = 0,
        ["client.server_join"] = 0, ["client.host_volume"] = 1,
    };

    private static void CheckLabels(HclBlock b, string path)
    {
        if (!LabelCounts.TryGetValue(path, out int want) || b.Labels.Count == want) return;
        string got = string.Join(" ", b.Labels.Select(l => $"\"{l}\""));
        string problem = (want, b.Labels.Count) switch
        {
            (1, 0) => $"a {b.Type} block needs one label, its name ({b.Type} \"NAME\" {{ ... }})",
            (1, _) => $"a {b.Type} block takes one label, its name (got {b.Labels.Count}: {got})",
            _ => $"a {b.Type} block takes no labels (got {got})",
        };
        throw new ConfigException($"{Pos(b.Position)}: {path}: {problem}");
    }

    private static ConfigPosition Pos(HclPosition p) => new(p.File, p.Line, p.Column);

    private static ConfigObject ReadBody(HclBody body, string path)
    {
        var entries = new List<ConfigEntry>();
        var labelled = new Dictionary<string, List<ConfigEntry>>(); // block type → its label entries
        foreach (var item in body.Items)
        {
            string itemPath = Join(path, item.Name);
            if (item is HclBlock block) CheckLabels(block, itemPath);
            switch (item)
            {
                case HclAttribute a:
                    entries.Add(new ConfigEntry(a.Name, Pos(a.Position), ReadValue(a.Value, itemPath)));
                    break;
                case HclBlock { Labels.Count: 0 } b:
                    entries.Add(new ConfigEntry(b.Type, Pos(b.Position), ReadBody(b.Body, itemPath)));
                    break;
                case HclBlock b:
                    if (!labelled.TryGetValue(b.Type, out var byLabel))
                    {
                        byLabel = [];
                        labelled[b.Type] = byLabel;
                        entries.Add(new ConfigEntry(b.Type, Pos(b.Position), new ConfigObject(byLabel, Pos(b.Position))));
                    }
                    byLabel.Add(LabelChain(b, 0, itemPath));
                    break;
            }
        }
        return new ConfigObject(entries, Pos(body.Position));
    }

    /// <summary>label[i] → (label[i+1] → ...) → body.</summary>
    private static ConfigEntry LabelChain(HclBlock b, int i, string path)
    {
        string label = b.Labels[i];
        string labelPath = Join(path, label);
        ConfigNode value = i == b.Labels.Count - 1
            ? ReadBody(b.Body, labelPath)
            : new ConfigObject([LabelChain(b, i + 1, labelPath)], Pos(b.Position));
        return new ConfigEntry(label, Pos(b.Position), value);
    }

    private static ConfigNode ReadValue(HclValue value, string path) => value switch
    {
        HclString s => new ConfigScalar(s.Value, Pos(s.Position)),
        HclNumber n => new ConfigScalar(n.IsInteger ? n.AsLong() : n.AsDouble(), Pos(n.Position)),
        HclBool b => new ConfigScalar(b.Value, Pos(b.Position)),
        HclNull n => new ConfigScalar(null, Pos(n.Position)),
        HclList l => new ConfigList(l.Items.Select(v => ReadValue(v, path)).ToList(), Pos(l.Position)),
        HclObject o => new ConfigObject(
            o.Items.Select(i => new ConfigEntry(i.Key, Pos(i.KeyPosition), ReadValue(i.Value, Join(path, i.Key)))).ToList(),
            Pos(o.Position)),
        HclExpression e => throw new ConfigException(
            $"{Pos(e.Position)}: {path}: expressions are not supported in agent configuration (quote \"{e.Source}\" if it is a string)"),
        _ => throw new ArgumentOutOfRangeException(nameof(value), value.GetType().Name),
    };

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
