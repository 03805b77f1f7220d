using System.Text.Json.Nodes;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Http;

/// <summary>A node and an allocation with every kind of resource, for the tests of the API's JSON shapes.</summary>
internal static class ShapeFixtures
{
    public static readonly Node TestNode = new()
    {
        ID = "5b1c7d1e-0000-4000-8000-000000000001",
        Name = "n1",
        SecretID = "s",
        Status = NodeStatus.Ready,
        HTTPAddr = "127.0.0.1:4646",
        NodeResources = new NodeResources
        {
            Cpu = new NodeCpuResources { CpuShares = 4192 },
            Memory = new NodeMemoryResources { MemoryMB = 24105 },
            Disk = new NodeDiskResources { DiskMB = 79289 },
            Networks = [new NetworkResource { Device = "lo", CIDR = "127.0.0.1/32", IP = "127.0.0.1", MBits = 1000 }],
        },
        ReservedResources = new NodeReservedResources
        {
            Cpu = new NodeCpuResources { CpuShares = 100 },
            Memory = new NodeMemoryResources { MemoryMB = 256 },
            Disk = new NodeDiskResources { DiskMB = 1024 },
        },
    };

    /// <summary>Two tasks with their own port each and a group port, all on the node's "lo".</summary>
    public static Allocation TestAlloc(Job job) => new()
    {
        ID = "a11c0000-0000-4000-8000-000000000001",
        EvalID = "e",
        Name = "example.web[0]",
        JobID = job.ID,
        Job = job,
        TaskGroup = "web",
        NodeID = TestNode.ID,
        NodeName = TestNode.Name,
        AllocatedResources = new AllocatedResources
        {
            Tasks =
            {
                ["server"] = new AllocatedTaskResources
                {
                    Cpu = new AllocatedCpuResources { CpuShares = 100 },
                    Memory = new AllocatedMemoryResources { MemoryMB = 64 },
                    Networks = [new NetworkResource { Device = "lo", IP = "127.0.0.1", MBits = 10, DynamicPorts = [new Port { Label = "http", Value = 23671 }] }],
                },
                ["sidecar"] = new AllocatedTaskResources
                {
                    Cpu = new AllocatedCpuResources { CpuShares = 50 },
                    Memory = new AllocatedMemoryResources { MemoryMB = 32 },
                    Networks = [new NetworkResource { Device = "lo", IP = "127.0.0.1", MBits = 5, ReservedPorts = [new Port { Label = "admin", Value = 9000 }] }],
                },
            },
            Shared = new AllocatedSharedResources
            {
                DiskMB = 300,
                Networks = [new NetworkResource { Device = "lo", IP = "127.0.0.1", DynamicPorts = [new Port { Label = "grpc", Value = 23672 }] }],
            },
        },
    };

    /// <summary>Registers <see cref="TestNode"/> and the job "example", and places <see cref="TestAlloc"/> on the node.</summary>
    public static async Task<Allocation> PlaceAllocAsync(ApiServer api)
    {
        await api.ApplyAsync(new NodeRegisterCommand(TestNode, null));
        await api.PutAsync("/v1/jobs", new JsonObject { ["Job"] = JobApiTests.JobJson() }.ToJsonString());
        var alloc = TestAlloc(api.State.JobById("example")!);
        await api.ApplyAsync(new PlanApplyCommand("e", alloc.Job, [alloc], [], UnixNanos.Now()));
        return alloc;
    }
}
