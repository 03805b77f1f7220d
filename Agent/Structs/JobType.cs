namespace Nomad.Agent.Structs;

public static class JobType
{
    public const string Service = "service";
    public const string Batch = "batch";
    public const string System = "system";
    /// <summary>Runs once to completion on every eligible node, including nodes that join later (Nomad 1.2+).</summary>
    public const string SysBatch = "sysbatch";

    public static readonly IReadOnlyList<string> All = [Service, Batch, System, SysBatch];

    /// <summary>Placed on every node by the system scheduler (system and sysbatch).</summary>
    public static bool OnEveryNode(string type) => type is System or SysBatch;
}
