using System.Net;
using NUnit.Framework;
using Nomad.Agent.Consensus;
using Nomad.Agent.Logging;
using Nomad.Agent.Rpc;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Rpc;

/// <summary>A client's server list over real RPC servers on loopback: which answers make it try the next server.</summary>
public sealed class RemoteNodeServiceFailoverTests
{
    [Test]
    public async Task A_server_without_a_leader_sends_the_client_to_the_next_server()
    {
        await using var noLeader = Served(new FixedNodeService(() => throw new NotLeaderException(null)));
        await using var good = Served(new FixedNodeService(() => Task.FromResult(new NodeUpdateResponse { Index = 7 })));
        using var remote = new RemoteNodeService([noLeader.Address, good.Address], Logger.Null);

        var resp = await remote.RegisterAsync(new NodeRegisterRequest(new Node { ID = "n1" }));

        Assert.That(resp.Index, Is.EqualTo(7UL));
        Assert.That(remote.Servers[0], Is.EqualTo(good.Address), "the server that answered is the one in use now");
    }

    [Test]
    public async Task A_server_that_never_answers_is_left_at_the_call_deadline_for_the_next_one()
    {
        await using var hung = Served(new FixedNodeService(() => new TaskCompletionSource<NodeUpdateResponse>().Task));
        await using var good = Served(new FixedNodeService(() => Task.FromResult(new NodeUpdateResponse { Index = 9 })));
        using var remote = new RemoteNodeService([hung.Address, good.Address], Logger.Null, callTimeout: TimeSpan.FromMilliseconds(300));

        var resp = await remote.UpdateStatusAsync(new NodeUpdateStatusRequest("n1", "s", "ready")).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(resp.Index, Is.EqualTo(9UL));
        Assert.That(remote.Servers[0], Is.EqualTo(good.Address));
    }

    [Test]
    public async Task Calls_that_fail_together_on_one_server_move_on_once_and_land_on_the_same_next_server()
    {
        await using var hung = Served(new FixedNodeService(() => new TaskCompletionSource<NodeUpdateResponse>().Task));
        await using var next = Served(new FixedNodeService(() => Task.FromResult(new NodeUpdateResponse { Index = 9 })));
        await using var last = Served(new FixedNodeService(() => Task.FromResult(new NodeUpdateResponse { Index = 5 })));
        using var remote = new RemoteNodeService([hung.Address, next.Address, last.Address], Logger.Null, callTimeout: TimeSpan.FromMilliseconds(300));

        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(i =>
            remote.UpdateStatusAsync(new NodeUpdateStatusRequest($"n{i}", "s", "ready")))).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(answers.Select(a => a.Index), Is.All.EqualTo(9UL), "every call moved from the hung server to the next one, not past it");
        Assert.That(remote.Servers[0], Is.EqualTo(next.Address));
    }

    [Test]
    public async Task A_blocking_query_may_take_its_wait_beyond_the_call_deadline()
    {
        var slow = new FixedNodeService(() => Task.FromResult(new NodeUpdateResponse()),
            allocs: async () => { await Task.Delay(700); return new NodeClientAllocsResponse(3, []); });
        await using var blocking = Served(slow);
        await using var other = Served(new FixedNodeService(() => Task.FromResult(new NodeUpdateResponse()),
            allocs: () => Task.FromResult(new NodeClientAllocsResponse(99, []))));
        using var remote = new RemoteNodeService([blocking.Address, other.Address], Logger.Null, callTimeout: TimeSpan.FromMilliseconds(300));

        var resp = await remote.GetClientAllocsAsync(new NodeClientAllocsRequest("n1", "s", MinIndex: 2, MaxWaitMs: 1000));

        Assert.That(resp.Index, Is.EqualTo(3UL), "answered by the server that held the query, not by the next one");
    }

    [Test]
    public async Task A_refused_request_is_not_retried_elsewhere()
    {
        var calls = 0;
        await using var refusing = Served(new FixedNodeService(() => { Interlocked.Increment(ref calls); throw new BadRequestException("node ID is required"); }));
        await using var other = Served(new FixedNodeService(() => { Interlocked.Increment(ref calls); return Task.FromResult(new NodeUpdateResponse()); }));
        using var remote = new RemoteNodeService([refusing.Address, other.Address], Logger.Null);

        var e = await Assert.ThrowsAsync<BadRequestException>(() => remote.RegisterAsync(new NodeRegisterRequest(new Node())));

        Assert.That(e!.Message, Is.EqualTo("node ID is required"));
        Assert.That(calls, Is.EqualTo(1));
    }

    private static ServedNodeService Served(INodeService service)
    {
        var mux = new PortMux(new IPEndPoint(IPAddress.Loopback, 0));
        mux.Register(PortMux.Rpc, new RpcServer(service, Logger.Null).ServeAsync);
        mux.Start();
        return new ServedNodeService(mux);
    }

    private sealed class ServedNodeService(PortMux mux) : IAsyncDisposable
    {
        public string Address => $"127.0.0.1:{mux.LocalEndPoint.Port}";
        public ValueTask DisposeAsync() => mux.DisposeAsync();
    }

    /// <summary>Answers every call that returns a <see cref="NodeUpdateResponse"/> with <paramref name="answer"/>, and allocation queries with <paramref name="allocs"/>.</summary>
    private sealed class FixedNodeService(Func<Task<NodeUpdateResponse>> answer, Func<Task<NodeClientAllocsResponse>>? allocs = null) : INodeService
    {
        public Task<NodeUpdateResponse> RegisterAsync(NodeRegisterRequest request, CancellationToken ct = default) => answer();
        public Task<NodeUpdateResponse> UpdateStatusAsync(NodeUpdateStatusRequest request, CancellationToken ct = default) => answer();
        public Task<NodeUpdateResponse> UpdateAllocsAsync(AllocUpdateRequest request, CancellationToken ct = default) => answer();
        public Task<NodeClientAllocsResponse> GetClientAllocsAsync(NodeClientAllocsRequest request, CancellationToken ct = default) =>
            (allocs ?? throw new NotSupportedException())();
        public Task<AllocsGetResponse> GetAllocsAsync(AllocsGetRequest request, CancellationToken ct = default) => throw new NotSupportedException();
    }
}
