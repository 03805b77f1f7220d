using Nomad.Agent.Hcl;

namespace Nomad.Agent.Config;

/// <summary>
/// Turns a parsed HCL file into a <see cref="ConfigObject"/>. A block without labels is an entry whose value
/// is its body; labelled blocks of one type are gathered into one entry keyed by label, the shape
/// HCL-in-JSON uses (<c>plugin "a" {}</c> → <c>"plugin": {"a": {...}}</c>).
/// </summary>
internal static class HclConfigReader
{
    public static ConfigObject Read(HclBody body) => ReadBody(body, "");

    private static ConfigPosition Pos(HclPosition p) => new(p.File, p.Line, p.Column);

    private static ConfigObject ReadBody(HclBody body, string path)
    {
        var entries = new List<ConfigEntry>();
        var labelled = new Dictionary<string, List<ConfigEntry>>(); // block type → its label entries
        foreach (var item in body.Items)
        {
            string itemPath = Join(path, item.Name);
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
