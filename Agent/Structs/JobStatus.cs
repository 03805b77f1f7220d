namespace Nomad.Agent.Structs;

public static class JobStatus
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Dead = "dead";
}
