namespace Nomad.Bench;

public static class BenchTable
{
    public static void Print(IReadOnlyList<BenchRow> rows)
    {
        string[] header = ["benchmark", "metric", "value", "target", "nomad"];
        var cells = rows.Select(r => new[] { r.Benchmark, r.Metric, $"{r.Value:0.###} {r.Unit}", r.Target, r.Nomad }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, cells.Select(c => c[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        Console.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))));
        foreach (var c in cells) Console.WriteLine(string.Join("  ", c.Select((v, i) => v.PadRight(widths[i]))));
    }
}
