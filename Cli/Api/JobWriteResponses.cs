namespace Nomad.Cli.Api;

/// <summary>PUT /v1/jobs's answer (Nomad's api.JobRegisterResponse).</summary>
public sealed record JobRegisterResponse
{
    public string EvalID { get; init; } = "";
    public ulong EvalCreateIndex { get; init; }
    public ulong JobModifyIndex { get; init; }
    public string Warnings { get; init; } = "";
}

/// <summary>DELETE /v1/job/:id's answer (Nomad's api.JobDeregisterResponse).</summary>
public sealed record JobDeregisterResponse
{
    public string EvalID { get; init; } = "";
    public ulong EvalCreateIndex { get; init; }
    public ulong JobModifyIndex { get; init; }
}

/// <summary>PUT /v1/node/:id/drain's answer (Nomad's api.NodeDrainUpdateResponse).</summary>
public sealed record NodeDrainUpdateResponse
{
    public ulong NodeModifyIndex { get; init; }
    public List<string>? EvalIDs { get; init; }
    public ulong EvalCreateIndex { get; init; }
}
