using System.Text.Json;
using System.Text.Json.Nodes;
using Nomad.Agent.Consensus;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Structs;

/// <summary>Large values are written and parsed without leaving buffers of their size in ArrayPool.Shared.</summary>
public sealed class UnpooledJsonTests
{
    internal static Job LargeJob(string id = "big", int megabytes = 4) => new()
    {
        ID = id,
        Name = id,
        Meta = Enumerable.Range(0, megabytes * 100).ToDictionary(i => $"k{i}", i => new string((char)('a' + i % 26), 10 * 1024)),
    };

    [Test]
    public void A_large_command_is_encoded_without_large_buffers_from_the_shared_pool()
    {
        var command = new JobRegisterCommand(LargeJob(), null, 1);
        ReadOnlyMemory<byte> encoded;
        using (var rents = new SharedPoolRents())
        {
            encoded = NomadStateMachine.Encode(command);
            Assert.That(rents.Count, Is.Zero, "buffers of 1 MB or more rented from ArrayPool.Shared");
        }
        var decoded = (JobRegisterCommand)JsonSerializer.Deserialize<Command>(encoded.Span, StateJson.Options)!;
        Assert.That(decoded.Job.Meta, Is.EqualTo(command.Job.Meta));
    }

    [Test]
    public void A_large_document_is_parsed_without_large_buffers_from_the_shared_pool()
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new { Job = LargeJob() });
        using var rents = new SharedPoolRents();
        var node = UnpooledJson.ParseNode(bytes);
        Assert.That(node!["Job"]!["Meta"]!.AsObject(), Has.Count.EqualTo(400));
        Assert.That(rents.Count, Is.Zero, "buffers of 1 MB or more rented from ArrayPool.Shared");
    }

    [Test]
    public void ParseNode_reads_what_JsonNode_Parse_reads()
    {
        const string json = """{"a": [1, 2.50, -3e2, 18446744073709551615], "b": {"c": "x\u00e9\n", "d": null, "e": true, "f": false}, "g": [],}""";
        var options = new JsonDocumentOptions { AllowTrailingCommas = true };
        var ours = UnpooledJson.ParseNode(System.Text.Encoding.UTF8.GetBytes(json), options)!;
        Assert.That(ours.ToJsonString(), Is.EqualTo(JsonNode.Parse(json, documentOptions: options)!.ToJsonString()));
        Assert.That(ours["a"]![3]!.GetValue<ulong>(), Is.EqualTo(ulong.MaxValue), "numbers keep their exact text");
        Assert.That(ours["b"]!["e"]!.GetValueKind(), Is.EqualTo(JsonValueKind.True));
    }

    [Test]
    public void ParseNode_keeps_the_last_of_repeated_properties_and_rejects_what_JsonNode_Parse_rejects()
    {
        Assert.That(UnpooledJson.ParseNode("""{"a": 1, "a": 2}"""u8)!["a"]!.GetValue<int>(), Is.EqualTo(2));
        foreach (var bad in new[] { "", "{", "{\"a\": 1} x", "[1,]", "{\"a\" 1}" })
            Assert.Catch<JsonException>(() => UnpooledJson.ParseNode(System.Text.Encoding.UTF8.GetBytes(bad)), bad);
    }
}
