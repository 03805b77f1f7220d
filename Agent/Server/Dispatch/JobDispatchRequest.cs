namespace Nomad.Agent.Server.Dispatch;

/// <summary>
/// The body of <c>PUT /v1/job/:id/dispatch</c> (Nomad's api.JobDispatchRequest): the payload as sent (uncompressed),
/// meta to merge into the parent's, and an optional prefix template for the child's ID.
/// </summary>
/// <param name="IdempotencyToken">when a child of the job was dispatched with it and still exists, that child is the answer.</param>
public sealed record JobDispatchRequest(string JobID, byte[]? Payload, Dictionary<string, string>? Meta, string IdPrefixTemplate = "",
    string IdempotencyToken = "");

/// <summary>Nomad's JobDispatchResponse.</summary>
public sealed record JobDispatchResponse
{
    public string DispatchedJobID { get; init; } = "";
    public string EvalID { get; init; } = "";
    public ulong EvalCreateIndex { get; init; }
    public ulong JobCreateIndex { get; init; }
    public ulong Index { get; init; }
    public long LastContact { get; init; }
    public bool KnownLeader { get; init; }
}
