using System.Net;
using System.Text;
using Nomad.Agent.Consensus;
using Nomad.Agent.Rpc;

namespace Nomad.Agent.Tests.Consensus;

/// <summary>One Raft server for tests: its own PortMux on 127.0.0.1, a RaftConsensus and a list FSM.</summary>
internal sealed class TestNode : IAsyncDisposable
{
    private TestNode(PortMux mux, RaftConsensus raft, ListStateMachine fsm, RaftOptions options)
    {
        Mux = mux;
        Raft = raft;
        Fsm = fsm;
        Options = options;
    }

    public PortMux Mux { get; }
    public RaftConsensus Raft { get; }
    public ListStateMachine Fsm { get; }
    public RaftOptions Options { get; }
    public IPEndPoint Endpoint => Mux.LocalEndPoint;
    public string Address => Endpoint.ToString();

    /// <summary>Starts a node; port 0 picks a free port, a later restart passes the same port again.</summary>
    public static async Task<TestNode> StartAsync(string id, RaftBootstrap bootstrap, string? dataDir = null, int port = 0,
        Func<RaftOptions, RaftOptions>? tweak = null, ListStateMachine? fsm = null)
    {
        var mux = new PortMux(new IPEndPoint(IPAddress.Loopback, port));
        mux.Start();
        var options = new RaftOptions
        {
            NodeId = id,
            Mux = mux,
            DataDirectory = dataDir,
            Bootstrap = bootstrap,
        };
        options = tweak?.Invoke(options) ?? options;
        fsm ??= new ListStateMachine();
        var raft = new RaftConsensus(options, fsm);
        try
        {
            await raft.StartAsync(CancellationToken.None);
        }
        catch
        {
            await raft.DisposeAsync();
            await mux.DisposeAsync();
            throw;
        }
        return new TestNode(mux, raft, fsm, options);
    }

    public async Task<ApplyResult> ApplyAsync(string command)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await Raft.ApplyAsync(Encoding.UTF8.GetBytes(command), deadline.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await Raft.DisposeAsync();
        await Mux.DisposeAsync();
    }
}
