using Nomad.Agent.Logging;
using Nomad.Agent.Scheduler;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Scheduler;

/// <summary>A simulated cluster (nodes in state, no processes) and a real scheduler run against a <see cref="SnapshotPlanner"/>.</summary>
internal sealed class SchedulerHarness
{
    public SnapshotPlanner Planner { get; } = new(StateSnapshot.Empty);
    public StateSnapshot State => Planner.State;

    public static Node NewNode(int i, string dc = "dc1", long cpu = 4000, long memory = 8192, string kernel = "linux",
        bool rawExec = true, string reservedPorts = "") => new()
    {
        ID = $"{i:x8}-0000-4000-8000-{i:x12}",
        Name = $"node-{i}",
        Datacenter = dc,
        Status = NodeStatus.Ready,
        NodeClass = i % 2 == 0 ? "even" : "odd",
        Attributes = new()
        {
            ["kernel.name"] = kernel,
            ["cpu.arch"] = "amd64",
            ["nomad.version"] = $"1.{i % 5}.0",
            ["unique.hostname"] = $"host-{i}",
            ["rack"] = $"r{i % 3}",
            ["tags"] = i % 2 == 0 ? "ssd,gpu" : "hdd",
        },
        Meta = new() { ["zone"] = $"z{i % 2}" },
        Drivers = new()
        {
            ["raw_exec"] = new DriverInfo { Detected = rawExec, Healthy = rawExec },
            ["mock"] = new DriverInfo { Detected = true, Healthy = true },
        },
        NodeResources = new NodeResources
        {
            Cpu = new NodeCpuResources { CpuShares = cpu },
            Memory = new NodeMemoryResources { MemoryMB = memory },
            Disk = new NodeDiskResources { DiskMB = 100_000 },
            Networks = [new NetworkResource { Device = "eth0", CIDR = $"10.0.{i / 250}.{i % 250 + 1}/32", IP = $"10.0.{i / 250}.{i % 250 + 1}", MBits = 1000 }],
        },
        ReservedResources = new NodeReservedResources { Networks = new NodeReservedNetworks { ReservedHostPorts = reservedPorts } },
    };

    public List<Node> AddNodes(int count, Func<int, Node>? make = null)
    {
        var nodes = new List<Node>();
        for (var i = 0; i < count; i++) nodes.Add(AddNode((make ?? (n => NewNode(n)))(i)));
        return nodes;
    }

    public Node AddNode(Node node)
    {
        Planner.Apply(new NodeRegisterCommand(node, null));
        return State.NodeById(node.ID)!;
    }

    public static Job NewJob(string id, string type = JobType.Service, int count = 3, int cpu = 100, int memory = 128,
        string driver = "mock", List<Constraint>? constraints = null, List<NetworkResource>? networks = null) => new()
    {
        ID = id, Name = id, Type = type, Datacenters = ["dc1"], Constraints = constraints,
        TaskGroups =
        [
            new TaskGroup
            {
                Name = "g", Count = count,
                EphemeralDisk = new EphemeralDisk { SizeMB = 100 },
                ReschedulePolicy = ReschedulePolicy.ForJobType(type),
                Tasks =
                [
                    new JobTask
                    {
                        Name = "t", Driver = driver, Config = new() { ["run_for"] = "1h" },
                        Resources = new Resources { CPU = cpu, MemoryMB = memory, Networks = networks },
                    },
                ],
            },
        ],
    };

    /// <summary>Registers (or updates) the job and runs its evaluation to completion; returns the evaluation's final state.</summary>
    public Task<Evaluation> RegisterAsync(Job job) => RunAsync(job, EvalTrigger.JobRegister, register: true);

    public async Task<Evaluation> RunAsync(Job job, string trigger, bool register = false, string nodeId = "")
    {
        var eval = new Evaluation
        {
            ID = Guid.NewGuid().ToString(), Type = job.Type, Priority = job.Priority, JobID = job.ID,
            TriggeredBy = trigger, NodeID = nodeId, Status = EvalStatus.Pending,
        };
        if (register) Planner.Apply(new JobRegisterCommand(job, eval, UnixNanos.Now()));
        else Planner.Apply(new EvalUpsertCommand([eval]));
        return await ProcessAsync(State.EvalById(eval.ID)!);
    }

    public async Task<Evaluation> ProcessAsync(Evaluation eval, StateSnapshot? on = null)
    {
        await Schedulers.Create(eval.Type, on ?? State, Planner, Logger.Null).ProcessAsync(eval, CancellationToken.None);
        return State.EvalById(eval.ID)!;
    }

    public List<Allocation> Live(string jobId) => State.AllocsForJob(jobId).Where(a => !a.IsTerminal).ToList();

    public void ClientUpdate(params (string AllocId, string Status)[] updates) =>
        Planner.Apply(new AllocClientUpdateCommand(
            updates.Select(u => new AllocClientUpdate(u.AllocId, u.Status, "", null)).ToList(), null, UnixNanos.Now()));

    /// <summary>Asserts every node holds no more than it offers and no port twice.</summary>
    public void AssertNoNodeOvercommitted()
    {
        foreach (var node in State.Nodes.Values)
        {
            var fit = NodeFit.Check(node, State.AllocsForNode(node.ID));
            Assert.That(fit.Fits, Is.True, $"node {node.Name} overcommitted: {fit.Dimension}");
        }
    }
}
