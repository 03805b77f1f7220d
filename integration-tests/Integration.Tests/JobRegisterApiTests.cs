using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>PUT /v1/jobs on a real `nomad agent -dev`: its own drivers check task configs before anything is written.</summary>
[TestFixture]
public sealed class JobRegisterApiTests
{
    private AgentProcess _agent = null!;

    [OneTimeSetUp]
    public async Task StartAgent()
    {
        _agent = AgentProcess.Start(["-dev"]);
        await _agent.WaitForReadyNodeAsync();
    }

    [OneTimeTearDown]
    public async Task StopAgent() => await _agent.DisposeAsync();

    private static string Job(string id, JsonObject config) => new JsonObject
    {
        ["Job"] = new JsonObject
        {
            ["ID"] = id,
            ["Datacenters"] = new JsonArray("dc1"),
            ["TaskGroups"] = new JsonArray(new JsonObject
            {
                ["Name"] = "g",
                ["Tasks"] = new JsonArray(new JsonObject
                {
                    ["Name"] = "t", ["Driver"] = "raw_exec", ["Config"] = config,
                    ["Resources"] = new JsonObject { ["CPU"] = 100, ["MemoryMB"] = 64 },
                }),
            }),
        },
    }.ToJsonString();

    private async Task<(HttpStatusCode, string)> PutAsync(string body)
    {
        using var response = await _agent.Http.PutAsync("/v1/jobs", new StringContent(body, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_task_config_the_local_driver_rejects_is_a_400_naming_group_task_and_field()
    {
        var (status, text) = await PutAsync(Job("typo", new JsonObject { ["command"] = "/bin/sleep", ["argz"] = new JsonArray("1") }));
        Assert.That((status, text), Is.EqualTo((HttpStatusCode.BadRequest, "group \"g\" task \"t\": config.argz: unknown field")));
        (status, text) = await PutAsync(Job("missing", new JsonObject()));
        Assert.That((status, text), Is.EqualTo((HttpStatusCode.BadRequest, "group \"g\" task \"t\": config.command: required")));
        using var get = await _agent.Http.GetAsync("/v1/job/typo");
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "nothing was registered");

        (status, text) = await PutAsync(Job("good", new JsonObject { ["command"] = "/bin/sleep", ["args"] = new JsonArray("1") }));
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(JsonNode.Parse(text)!["EvalID"]!.GetValue<string>(), Has.Length.EqualTo(36));
    }
}
