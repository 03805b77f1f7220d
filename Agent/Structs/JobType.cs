namespace Nomad.Agent.Structs;

public static class JobType
{
    public const string Service = "service";
    public const string Batch = "batch";
    public const string System = "system";

    public static readonly IReadOnlyList<string> All = [Service, Batch, System];
}
