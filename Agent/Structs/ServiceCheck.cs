namespace Nomad.Agent.Structs;

/// <summary>A service's <c>check</c> block (Nomad's structs.ServiceCheck). Interval and Timeout are nanoseconds.</summary>
public sealed record ServiceCheck
{
    public string Name { get; init; } = "";
    /// <summary><c>http</c>, <c>tcp</c>, <c>script</c> (exec inside the task) or <c>grpc</c>.</summary>
    public string Type { get; init; } = "";
    public string Command { get; init; } = "";
    public List<string>? Args { get; init; }
    public string Path { get; init; } = "";
    public string Protocol { get; init; } = "";
    public string PortLabel { get; init; } = "";
    public bool Expose { get; init; }
    public string AddressMode { get; init; } = "";
    public long Interval { get; init; }
    public long Timeout { get; init; }
    /// <summary><c>passing</c>, <c>warning</c> or <c>critical</c>; empty is critical, as Consul's.</summary>
    public string InitialStatus { get; init; } = "";
    public bool TLSSkipVerify { get; init; }
    public string Method { get; init; } = "";
    public Dictionary<string, List<string>>? Header { get; init; }
    public CheckRestart? CheckRestart { get; init; }
    public string GRPCService { get; init; } = "";
    public bool GRPCUseTLS { get; init; }
    /// <summary>For a script check of a group service: the task to run it in.</summary>
    public string TaskName { get; init; } = "";
    public int SuccessBeforePassing { get; init; }
    public int FailuresBeforeCritical { get; init; }
    public string Body { get; init; } = "";
    public string OnUpdate { get; init; } = ServiceOnUpdate.RequireHealthy;
}

/// <summary><c>check_restart</c>: restart the task once a check has stayed critical <c>Limit</c> times in a row.</summary>
public sealed record CheckRestart
{
    public int Limit { get; init; }
    /// <summary>Nanoseconds after the task starts during which failures do not count.</summary>
    public long Grace { get; init; }
    public bool IgnoreWarnings { get; init; }
}
