namespace Nomad.Agent.Structs;

public static class EvalStatus
{
    public const string Pending = "pending";
    public const string Complete = "complete";
    public const string Failed = "failed";
    public const string Blocked = "blocked";
    public const string Canceled = "canceled";
}
