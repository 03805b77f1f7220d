using Nomad.Agent;
using Nomad.Agent.Config;
using Nomad.Agent.Consensus;
using Nomad.Agent.Jobspec;
using Nomad.Agent.Logging;
using Nomad.Agent.State;
using Nomad.Agent.Structs;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests.Client;

/// <summary>
/// A real agent (server and client) in this process, with the real raw_exec driver from dist/plugins and
/// its state under a data dir that outlives it, so that a second agent on the same dir is a restart.
/// Allocations are written straight into the server's state through Raft: no scheduler is involved.
/// </summary>
public sealed class ClientAgent : IAsyncDisposable
{
    private readonly StringWriter _log;
    // The agent writes through this synchronized wrapper, which locks on itself: reads take the same lock.
    private readonly TextWriter _writer;

    private ClientAgent(RunningAgent agent, StringWriter log, TextWriter writer, int httpPort)
    {
        Agent = agent;
        _log = log;
        _writer = writer;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public RunningAgent Agent { get; }
    public HttpClient Http { get; }
    public string Log { get { lock (_writer) return _log.ToString(); } }
    public string NodeId => Agent.Client!.Identity.NodeId;

    public static async Task<ClientAgent> StartAsync(string dataDir, string clientExtra = "", int[]? ports = null)
    {
        ports ??= FreePorts.Take(3);
        var plugins = Path.Combine(Repo.Root, "dist", "plugins");
        if (!File.Exists(Path.Combine(plugins, "raw_exec", "plugin.json"))) Assert.Fail($"{plugins}/raw_exec is missing: run scripts/build raw_exec");
        var hcl = $$"""
            data_dir   = "{{dataDir}}"
            bind_addr  = "127.0.0.1"
            plugin_dir = "{{plugins}}"
            ports {
              http = {{ports[0]}}
              rpc  = {{ports[1]}}
              serf = {{ports[2]}}
            }
            server {
              enabled          = true
              bootstrap_expect = 1
            }
            client {
              enabled                 = true
              gc_disk_usage_threshold = 99.9
              {{clientExtra}}
            }
            plugin "raw_exec" {
              config {
                enabled = true
              }
            }
            """;
        Directory.CreateDirectory(dataDir);
        var file = Path.Combine(dataDir, "agent.hcl");
        await File.WriteAllTextAsync(file, hcl);
        var config = AgentHost.LoadConfig(new AgentConfig(), [file]);
        var log = new StringWriter();
        var writer = TextWriter.Synchronized(log);
        var agent = new RunningAgent(config, new LogSink(writer, LogSeverity.Debug));
        await agent.StartAsync(CancellationToken.None);
        var started = new ClientAgent(agent, log, writer, ports[0]);
        await Eventually.WaitAsync(() => agent.Client!.Ready.IsCompleted, TimeSpan.FromSeconds(60), "the client to be ready\n" + started.Log);
        return started;
    }

    /// <summary>A job from HCL, with Nomad's defaults.</summary>
    public static Job Job(string hcl) => JobDefaults.Canonicalize(JobspecParser.Parse(hcl, "test.nomad.hcl"));

    /// <summary>Places one allocation of <paramref name="group"/> on this agent's node, as a plan would.</summary>
    public async Task<Allocation> PlaceAsync(Job job, string group, int index = 0)
    {
        var tg = job.TaskGroups.Single(g => g.Name == group);
        var alloc = new Allocation
        {
            ID = Guid.NewGuid().ToString(),
            Namespace = job.Namespace,
            EvalID = Guid.NewGuid().ToString(),
            Name = Allocation.MakeName(job.ID, group, index),
            NodeID = NodeId,
            NodeName = Agent.Client!.Node.Name,
            JobID = job.ID,
            TaskGroup = group,
            AllocatedResources = new AllocatedResources
            {
                Tasks = tg.Tasks.ToDictionary(t => t.Name, t => new AllocatedTaskResources
                {
                    Cpu = new AllocatedCpuResources { CpuShares = t.Resources.CPU },
                    Memory = new AllocatedMemoryResources { MemoryMB = t.Resources.MemoryMB },
                    Networks = t.Resources.Networks,
                }),
            },
        };
        await Agent.Server!.Consensus.ApplyAsync(new PlanApplyCommand(alloc.EvalID, job, [alloc], [], UnixNanos.Now()));
        return alloc;
    }

    /// <summary>The servers want the allocation stopped.</summary>
    public Task StopAsync(string allocId) =>
        Agent.Server!.Consensus.ApplyAsync(new PlanApplyCommand(Guid.NewGuid().ToString(), null, [], [new AllocStop(allocId, "alloc is being stopped")], UnixNanos.Now()));

    /// <summary>The servers want all these allocations stopped, in one plan (as a job stop does).</summary>
    public Task StopAllAsync(IEnumerable<string> allocIds) =>
        Agent.Server!.Consensus.ApplyAsync(new PlanApplyCommand(Guid.NewGuid().ToString(), null, [],
            allocIds.Select(id => new AllocStop(id, "alloc is being stopped")).ToList(), UnixNanos.Now()));

    /// <summary>The servers forget the allocation (their GC).</summary>
    public Task CollectAsync(string allocId) =>
        Agent.Server!.Consensus.ApplyAsync(new GcCommand([], [], [allocId]));

    /// <summary>The allocation as the servers know it.</summary>
    public Allocation? ServerAlloc(string id) => Agent.Server!.State.Current.AllocById(id);

    public Task<Allocation> WaitForStatusAsync(string id, string clientStatus, TimeSpan? timeout = null) =>
        Eventually.WaitAsync(() => Task.FromResult(ServerAlloc(id) is { } a && a.ClientStatus == clientStatus ? a : null),
            timeout ?? TimeSpan.FromSeconds(60), $"allocation {id} to be {clientStatus} on the servers (now {ServerAlloc(id)?.ClientStatus})\n{Log}");

    public string AllocDir(string allocId) => Path.Combine(Agent.Config.Client.AllocDir!, allocId);

    /// <summary>Whether disposing leaves the tasks running (for a restart); otherwise they are killed first, so no test leaks processes.</summary>
    public bool KeepTasksOnDispose { get; set; }

    public async ValueTask DisposeAsync()
    {
        if (!KeepTasksOnDispose && Agent.Allocs is { } allocs)
        {
            try { await Task.WhenAll(allocs.Manager.All.Select(r => r.StopAsync())).WaitAsync(TimeSpan.FromSeconds(30)); }
            catch (TimeoutException) { TestContext.Out.WriteLine("tasks did not stop within 30s"); }
        }
        Http.Dispose();
        await Agent.DisposeAsync();
    }
}
