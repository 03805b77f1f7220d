namespace Nomad.Agent.Structs;

public static class AllocDesiredStatus
{
    public const string Run = "run";
    public const string Stop = "stop";
    public const string Evict = "evict";
}

public static class AllocClientStatus
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Complete = "complete";
    public const string Failed = "failed";
    public const string Lost = "lost";
}
