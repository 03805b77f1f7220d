using System.Text;

namespace Nomad.Cli.Output;

/// <summary>
/// Nomad's column layout (the columnize library as Nomad's CLI configures it): every field is trimmed, each column
/// is padded to its widest field and joined to the next by the glue, and the last field of a row is never padded.
/// Lines are joined by "\n" with no trailing newline.
/// </summary>
public static class Columns
{
    /// <summary>What Nomad shows for an empty field in tables and key = value blocks.</summary>
    public const string None = "<none>";

    /// <summary>Nomad's formatList: a table, header row first, columns two spaces apart, empty fields as &lt;none&gt;.</summary>
    public static string Table(IEnumerable<IReadOnlyList<string>> rows) => Format(rows, "  ", None);

    /// <summary>Nomad's formatKV: aligned <c>key = value</c> lines, empty values as &lt;none&gt;.</summary>
    public static string KeyValues(IEnumerable<(string Key, string Value)> pairs) =>
        Format(pairs.Select(p => (IReadOnlyList<string>)[p.Key, p.Value]), " = ", None);

    /// <summary>columnize.SimpleFormat: a table whose empty fields stay empty (server members uses it).</summary>
    public static string PlainTable(IEnumerable<IReadOnlyList<string>> rows) => Format(rows, "  ", "");

    private static string Format(IEnumerable<IReadOnlyList<string>> rows, string glue, string empty)
    {
        var cells = rows.Select(row => row.Select(field => Cell(field, empty)).ToArray()).ToList();

        var widths = new List<int>();
        foreach (var row in cells)
        {
            for (var i = 0; i < row.Length; i++)
            {
                var width = DisplayWidth(row[i]);
                if (widths.Count <= i) widths.Add(width);
                else if (widths[i] < width) widths[i] = width;
            }
        }

        var text = new StringBuilder();
        for (var r = 0; r < cells.Count; r++)
        {
            if (r > 0) text.Append('\n');
            var row = cells[r];
            for (var i = 0; i < row.Length; i++)
            {
                if (i == row.Length - 1)
                {
                    text.Append(row[i]);
                }
                else
                {
                    text.Append(row[i]).Append(' ', widths[i] - DisplayWidth(row[i])).Append(glue);
                }
            }
        }
        return text.ToString();
    }

    private static string Cell(string? field, string empty)
    {
        var value = (field ?? "").Trim();
        return value.Length == 0 ? empty : value;
    }

    /// <summary>Go pads by runes, not UTF-16 code units.</summary>
    private static int DisplayWidth(string s) => s.EnumerateRunes().Count();
}
