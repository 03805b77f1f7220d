using Nomad.Agent.Consensus;
using Nomad.Agent.Structs;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace Nomad.Agent.Rpc;

/// <summary>
/// Carries our request errors across JSON-RPC as error codes, so a remote caller sees the same
/// exception type (not found, bad request, not the leader) it would see in process.
/// </summary>
public static class RpcErrors
{
    private const int BadRequest = -32040;
    private const int NotFound = -32044;
    private const int PermissionDenied = -32043;
    private const int NotLeader = -32050;

    /// <summary>Server side: runs <paramref name="call"/> and turns our exceptions into coded RPC errors.</summary>
    public static async Task<T> Serve<T>(Func<Task<T>> call)
    {
        try { return await call().ConfigureAwait(false); }
        catch (BadRequestException e) { throw new LocalRpcException(e.Message) { ErrorCode = BadRequest }; }
        catch (NotFoundException e) { throw new LocalRpcException(e.Message) { ErrorCode = NotFound }; }
        catch (PermissionDeniedException e) { throw new LocalRpcException(e.Message) { ErrorCode = PermissionDenied }; }
        catch (NotLeaderException e) { throw new LocalRpcException(e.Message) { ErrorCode = NotLeader, ErrorData = e.Leader }; }
    }

    /// <summary>Client side: turns a coded RPC error back into our exception.</summary>
    public static Exception Translate(RemoteInvocationException e) => e.ErrorCode switch
    {
        BadRequest => new BadRequestException(e.Message),
        NotFound => new NotFoundException(e.Message),
        PermissionDenied => new PermissionDeniedException(e.Message),
        NotLeader => new NotLeaderException(e.ErrorData?.ToString()),
        _ => e,
    };
}
