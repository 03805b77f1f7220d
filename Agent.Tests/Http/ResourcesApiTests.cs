using System.Net;
using System.Text.Json.Nodes;
using Nomad.Agent.State;
using Nomad.Agent.Structs;
using static Nomad.Agent.Tests.Http.ShapeFixtures;

namespace Nomad.Agent.Tests.Http;

/// <summary>
/// The legacy Resources objects nodes and allocations still carry in Nomad 1.x (its CLI's `node status` dereferences
/// them), and `?resources=true` on the node and allocation lists.
/// </summary>
public sealed class ResourcesApiTests
{
    private ApiServer _api = null!;

    [SetUp]
    public async Task Start() => _api = await ApiServer.StartAsync();

    [TearDown]
    public async Task Stop() => await _api.DisposeAsync();

    [Test]
    public async Task Node_carries_the_legacy_Resources_and_Reserved()
    {
        await _api.ApplyAsync(new NodeRegisterCommand(TestNode, null));

        var node = (await _api.GetAsync($"/v1/node/{TestNode.ID}"))!;
        var resources = node["Resources"]!;
        Assert.That((resources["CPU"]!.GetValue<long>(), resources["MemoryMB"]!.GetValue<long>(), resources["DiskMB"]!.GetValue<long>(), resources["IOPS"]!.GetValue<long>()),
            Is.EqualTo((4192L, 24105L, 79289L, 0L)));
        Assert.That(resources["Networks"]![0]!["CIDR"]!.GetValue<string>(), Is.EqualTo("127.0.0.1/32"));
        var reserved = node["Reserved"]!;
        Assert.That((reserved["CPU"]!.GetValue<long>(), reserved["MemoryMB"]!.GetValue<long>(), reserved["DiskMB"]!.GetValue<long>()),
            Is.EqualTo((100L, 256L, 1024L)));
        Assert.That(reserved.AsObject().ContainsKey("Networks") && reserved["Networks"] is null);
    }

    [Test]
    public async Task Allocation_carries_the_legacy_Resources_SharedResources_and_TaskResources()
    {
        var alloc = await PlaceAllocAsync(_api);

        foreach (var json in new[] { (await _api.GetAsync($"/v1/allocation/{alloc.ID}"))!, (await _api.GetAsync($"/v1/node/{TestNode.ID}/allocations"))![0]! })
        {
            var total = json["Resources"]!;
            Assert.That((total["CPU"]!.GetValue<long>(), total["MemoryMB"]!.GetValue<long>(), total["DiskMB"]!.GetValue<long>()), Is.EqualTo((150L, 96L, 300L)));
            // Networks on one device add up, as Nomad's Resources.Add does.
            var network = total["Networks"]!.AsArray().Single()!;
            Assert.That(network["MBits"]!.GetValue<int>(), Is.EqualTo(15));
            Assert.That(network["ReservedPorts"]!.AsArray().Select(p => p!["Value"]!.GetValue<int>()), Is.EqualTo(new[] { 9000 }));
            Assert.That(network["DynamicPorts"]!.AsArray().Select(p => p!["Value"]!.GetValue<int>()), Is.EqualTo(new[] { 23671, 23672 }));

            var shared = json["SharedResources"]!;
            Assert.That((shared["CPU"]!.GetValue<long>(), shared["MemoryMB"]!.GetValue<long>(), shared["DiskMB"]!.GetValue<long>()), Is.EqualTo((0L, 0L, 300L)));

            var server = json["TaskResources"]!["server"]!;
            Assert.That((server["CPU"]!.GetValue<long>(), server["MemoryMB"]!.GetValue<long>(), server["DiskMB"]!.GetValue<long>()), Is.EqualTo((100L, 64L, 0L)));
            Assert.That(server["Networks"]![0]!["DynamicPorts"]![0]!["Label"]!.GetValue<string>(), Is.EqualTo("http"));
            Assert.That(json["TaskResources"]!["sidecar"]!["CPU"]!.GetValue<long>(), Is.EqualTo(50));
        }
    }

    [Test]
    public async Task Resources_true_fills_the_stubs_resources_and_they_are_left_out_otherwise()
    {
        var alloc = await PlaceAllocAsync(_api);

        var plainNode = (await _api.GetAsync("/v1/nodes"))![0]!.AsObject();
        Assert.That(plainNode.ContainsKey("NodeResources") || plainNode.ContainsKey("ReservedResources"), Is.False, "omitted, as Nomad's omitempty");
        var node = (await _api.GetAsync("/v1/nodes?resources=true"))![0]!;
        Assert.That(node["NodeResources"]!["Cpu"]!["CpuShares"]!.GetValue<long>(), Is.EqualTo(4192));
        Assert.That(node["NodeResources"]!["Networks"]![0]!["IP"]!.GetValue<string>(), Is.EqualTo("127.0.0.1"));
        Assert.That(node["ReservedResources"]!["Memory"]!["MemoryMB"]!.GetValue<long>(), Is.EqualTo(256));

        var plainAlloc = (await _api.GetAsync("/v1/allocations"))![0]!.AsObject();
        Assert.That(plainAlloc.ContainsKey("AllocatedResources") && plainAlloc["AllocatedResources"] is null, "null, as Nomad's stub");
        var stub = (await _api.GetAsync("/v1/allocations?resources=true"))![0]!;
        var resources = stub["AllocatedResources"]!;
        Assert.That(resources["Tasks"]!["server"]!["Cpu"]!["CpuShares"]!.GetValue<long>(), Is.EqualTo(100));
        Assert.That(resources["Tasks"]!["server"]!["Memory"]!["MemoryMB"]!.GetValue<long>(), Is.EqualTo(64));
        Assert.That(resources["Shared"]!["DiskMB"]!.GetValue<long>(), Is.EqualTo(300));
        Assert.That(resources["Shared"]!["Ports"]![0]!.ToJsonString(), Is.EqualTo("""{"Label":"grpc","Value":23672,"To":0,"HostIP":"127.0.0.1"}"""));
        Assert.That(resources["TaskLifecycles"]!.AsObject().Select(p => (p.Key, p.Value)), Is.EquivalentTo(new (string, JsonNode?)[] { ("server", null), ("sidecar", null) }));
        Assert.That(stub["ID"]!.GetValue<string>(), Is.EqualTo(alloc.ID));

        Assert.That(await _api.SendAsync(HttpMethod.Get, "/v1/nodes?resources=maybe"),
            Is.EqualTo((HttpStatusCode.BadRequest, "Failed to parse value of \"resources\" (maybe) as a bool")));
    }
}
