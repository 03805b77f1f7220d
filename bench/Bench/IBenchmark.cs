namespace Nomad.Bench;

public interface IBenchmark
{
    string Name { get; }
    Task<IReadOnlyList<BenchRow>> RunAsync();
}

/// <summary>One measured figure, with the target it must beat and what real Nomad did here.</summary>
public sealed record BenchRow(string Benchmark, string Metric, double Value, string Unit, string Target, string Nomad);
