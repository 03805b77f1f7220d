using System.Net;
using Nomad.Agent.Consensus;
using Nomad.Agent.Logging;
using Nomad.Agent.Rpc;
using Nomad.Agent.Scheduler;
using Nomad.Agent.Server;
using Nomad.Agent.State;
using Nomad.Agent.Structs;
using Nomad.Agent.Tests.Consensus;

namespace Nomad.Agent.Tests.Server;

/// <summary>A real NomadServer on a single-voter in-process Raft (dev mode), leading, with its log captured; no scheduling workers unless asked.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private readonly PortMux _mux;

    private TestServer(PortMux mux, NomadServer server, StateStore state)
    {
        _mux = mux;
        Server = server;
        State = state;
    }

    public NomadServer Server { get; }
    public StateStore State { get; }
    public IConsensus Consensus => Server.Consensus;

    public static async Task<TestServer> StartAsync(Func<ServerOptions, ServerOptions>? configure = null)
    {
        var mux = new PortMux(new IPEndPoint(IPAddress.Loopback, 0));
        mux.Start();
        var state = new StateStore();
        var raft = new RaftConsensus(RaftOptions.Dev("s1", mux), new NomadStateMachine(state));
        var options = new ServerOptions
        {
            NodeName = "s1", Region = "global", Datacenter = "dc1", ServerId = Guid.NewGuid().ToString(),
            RpcAdvertise = mux.LocalEndPoint.ToString(), SerfAddress = "127.0.0.1", SerfPort = 4648, Build = "test",
            // No workers unless a test brings a scheduler: the broker and blocked evals stay observable.
            NumSchedulers = 0,
        };
        options = configure?.Invoke(options) ?? options;
        var writer = new StringWriter();
        var sync = TextWriter.Synchronized(writer);
        var sink = new LogSink(sync, LogSeverity.Debug);
        var server = new NomadServer(options, raft, state, new Logger(sink, "nomad"));
        var ts = new TestServer(mux, server, state);
        (ts._logWriter, ts._logSync) = (writer, sync);
        await server.StartAsync(CancellationToken.None);
        await Eventually.Until(() => server.Broker.Enabled, Deadline, "the server to lead and enable its broker");
        return ts;
    }

    private StringWriter? _logWriter;
    private TextWriter? _logSync; // TextWriter.Synchronized locks on itself
    /// <summary>Everything the server logged so far.</summary>
    public string LogLines { get { lock (_logSync!) return _logWriter!.ToString(); } }

    /// <summary>Options with two workers running <paramref name="factory"/>'s schedulers.</summary>
    public static Func<ServerOptions, ServerOptions> With(SchedulerFactory factory, EvalBrokerOptions? broker = null) =>
        o => o with { SchedulerFactory = factory, NumSchedulers = 2, EvalBroker = broker ?? o.EvalBroker };

    public Task<ulong> ApplyAsync(Command c) => Consensus.ApplyAsync(c);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await _mux.DisposeAsync();
    }

    // ---- builders ----

    public static Node Node(string? id = null, long cpu = 1000, long mem = 1024, string status = NodeStatus.Ready) => new()
    {
        ID = id ?? Guid.NewGuid().ToString(), SecretID = Guid.NewGuid().ToString(), Name = "node", Datacenter = "dc1", Status = status,
        NodeResources = new NodeResources
        {
            Cpu = new NodeCpuResources { CpuShares = cpu },
            Memory = new NodeMemoryResources { MemoryMB = mem },
            Disk = new NodeDiskResources { DiskMB = 10_000 },
        },
    };

    public static Job Job(string id, string type = JobType.Service, int count = 1, int priority = 50) => new()
    {
        ID = id, Name = id, Type = type, Priority = priority, Datacenters = ["dc1"],
        TaskGroups = [new TaskGroup { Name = "web", Count = count, Tasks = [new JobTask { Name = "t", Driver = "raw_exec" }] }],
    };

    public static Evaluation Eval(Job job, string status = EvalStatus.Pending, long time = 0) => new()
    {
        ID = Guid.NewGuid().ToString(), Namespace = job.Namespace, Priority = job.Priority, Type = job.Type,
        TriggeredBy = EvalTrigger.JobRegister, JobID = job.ID, Status = status,
        CreateTime = time == 0 ? UnixNanos.Now() : time, ModifyTime = time == 0 ? UnixNanos.Now() : time,
    };

    public static Allocation Alloc(Job job, string nodeId, string evalId, long cpu = 100, int index = 0, params int[] ports) => new()
    {
        ID = Guid.NewGuid().ToString(), Namespace = job.Namespace, EvalID = evalId, Name = Allocation.MakeName(job.ID, "web", index),
        NodeID = nodeId, JobID = job.ID, TaskGroup = "web",
        AllocatedResources = new AllocatedResources
        {
            Tasks = new()
            {
                ["t"] = new AllocatedTaskResources
                {
                    Cpu = new AllocatedCpuResources { CpuShares = cpu },
                    Memory = new AllocatedMemoryResources { MemoryMB = 64 },
                    Networks = ports.Length == 0 ? null : [new NetworkResource { ReservedPorts = ports.Select(p => new Port { Label = $"p{p}", Value = p }).ToList() }],
                },
            },
        },
    };

    public static Plan PlanFor(Job job, string evalId, params Allocation[] allocs)
    {
        var plan = new Plan { EvalID = evalId, Job = job, Priority = job.Priority };
        foreach (var a in allocs) plan.AppendAlloc(a);
        return plan;
    }
}

/// <summary>A stand-in scheduler: runs the given function (which may submit plans and update the evaluation).</summary>
internal sealed class FakeScheduler(Evaluation eval, StateSnapshot state, IPlanner planner,
    Func<Evaluation, StateSnapshot, IPlanner, CancellationToken, Task> body) : IScheduler
{
    public Task ProcessAsync(Evaluation e, CancellationToken ct) => body(eval, state, planner, ct);

    public static SchedulerFactory Factory(Func<Evaluation, StateSnapshot, IPlanner, CancellationToken, Task> body) =>
        (e, s, p) => new FakeScheduler(e, s, p, body);
}
