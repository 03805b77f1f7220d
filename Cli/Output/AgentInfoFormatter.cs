using System.Text;
using System.Text.Json;
using Nomad.Cli.Api;

namespace Nomad.Cli.Output;

/// <summary>`nomad agent-info`: each stats section by name, then its "  key = value" lines, both sorted.</summary>
public static class AgentInfoFormatter
{
    /// <returns>the text, each line ending with a newline.</returns>
    public static string Format(IReadOnlyDictionary<string, Dictionary<string, JsonElement>>? stats)
    {
        var text = new StringBuilder();
        if (stats is null) return "";
        foreach (var (section, values) in stats.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            text.Append(section).Append('\n');
            foreach (var (key, value) in (values ?? new()).OrderBy(v => v.Key, StringComparer.Ordinal))
                text.Append("  ").Append(key).Append(" = ").Append(AgentSelf.StatText(value)).Append('\n');
        }
        return text.ToString();
    }
}
