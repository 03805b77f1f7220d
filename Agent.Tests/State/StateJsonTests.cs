using System.Text.Json;
using System.Text.Json.Nodes;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.State;

/// <summary>What the state writes to the Raft log and snapshots.</summary>
public sealed class StateJsonTests
{
    private static IEnumerable<string> Keys(object value) =>
        JsonNode.Parse(JsonSerializer.Serialize(value, StateJson.Options))!.AsObject().Select(kv => kv.Key);

    [Test]
    public void The_derived_legacy_resources_are_not_written_to_the_state()
    {
        Assert.That(Keys(new Allocation { ID = "a" }), Has.No.Member("Resources").And.No.Member("SharedResources").And.No.Member("TaskResources"));
        Assert.That(Keys(new Allocation { ID = "a" }), Has.Member("AllocatedResources"));
        Assert.That(Keys(new Node { ID = "n" }), Has.No.Member("Resources").And.No.Member("Reserved"));
        Assert.That(Keys(new Node { ID = "n" }), Has.Member("NodeResources").And.Member("ReservedResources"));
    }

    [Test]
    public void The_api_still_shows_them()
    {
        var alloc = JsonNode.Parse(JsonSerializer.Serialize(new Allocation { ID = "a" }, Nomad.Agent.Http.ApiJson.Compact))!.AsObject();
        Assert.That(alloc.Select(kv => kv.Key), Has.Member("Resources").And.Member("TaskResources"));
    }
}
