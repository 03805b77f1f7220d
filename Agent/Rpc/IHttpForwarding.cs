namespace Nomad.Agent.Rpc;

/// <summary>
/// Server-to-server forwarding of a whole HTTP API request over the RPC port: a follower hands a write or a
/// consistent read to the leader (or any server to a server of another region), which replays it through its
/// own HTTP routes, so the leader validates writes against its own state with the same code as local requests.
/// </summary>
public interface IHttpForwarding
{
    Task<ForwardedHttpResponse> ForwardHttpAsync(ForwardedHttpRequest request, CancellationToken ct = default);
}

/// <param name="PathAndQuery">e.g. "/v1/jobs?index=4".</param>
/// <param name="Hops">how many servers forwarded it already (forwarding stops after a few).</param>
public sealed record ForwardedHttpRequest(string Method, string PathAndQuery, Dictionary<string, string> Headers, byte[] Body, int Hops);

public sealed record ForwardedHttpResponse(int Status, Dictionary<string, string> Headers, byte[] Body);
