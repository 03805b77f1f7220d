using System.Net;
using System.Text.Json.Nodes;

namespace Nomad.Agent.Tests.Http;

/// <summary>/v1/operator/scheduler/configuration as Nomad's: defaults, a write through Raft, check-and-set, bad input.</summary>
public sealed class SchedulerConfigApiTests
{
    [Test]
    public async Task Defaults_then_a_write_then_a_check_and_set_that_only_succeeds_on_the_current_index()
    {
        await using var api = await ApiServer.StartAsync();
        var initial = (await api.GetAsync("/v1/operator/scheduler/configuration"))!;
        var config = initial["SchedulerConfig"]!;
        Assert.That(config["SchedulerAlgorithm"]!.GetValue<string>(), Is.EqualTo("binpack"));
        Assert.That(config["PreemptionConfig"]!.ToJsonString(),
            Is.EqualTo("""{"SystemSchedulerEnabled":true,"SysBatchSchedulerEnabled":false,"BatchSchedulerEnabled":false,"ServiceSchedulerEnabled":false}"""));
        Assert.That(config["MemoryOversubscriptionEnabled"]!.GetValue<bool>(), Is.False);

        var body = new JsonObject { ["SchedulerAlgorithm"] = "spread", ["PreemptionConfig"] = new JsonObject { ["SystemSchedulerEnabled"] = true, ["BatchSchedulerEnabled"] = true } };
        var put = (await api.PutAsync("/v1/operator/scheduler/configuration", body.ToJsonString()))!;
        Assert.That(put["Updated"]!.GetValue<bool>(), Is.True);
        var index = put["Index"]!.GetValue<ulong>();
        var now = (await api.GetAsync("/v1/operator/scheduler/configuration"))!;
        Assert.That((now["SchedulerConfig"]!["SchedulerAlgorithm"]!.GetValue<string>(), now["SchedulerConfig"]!["PreemptionConfig"]!["BatchSchedulerEnabled"]!.GetValue<bool>()),
            Is.EqualTo(("spread", true)));
        Assert.That((now["SchedulerConfig"]!["ModifyIndex"]!.GetValue<ulong>(), now["Index"]!.GetValue<ulong>()), Is.EqualTo((index, index)));
        Assert.That(api.State.SchedulerConfigOrDefault.PreemptionEnabled("batch"), Is.True);

        var stale = (await api.PutAsync($"/v1/operator/scheduler/configuration?cas={index - 1}", "{}"))!;
        Assert.That(stale["Updated"]!.GetValue<bool>(), Is.False);
        Assert.That(api.State.SchedulerConfigOrDefault.SchedulerAlgorithm, Is.EqualTo("spread"), "a failed check-and-set changes nothing");
        var fresh = (await api.PutAsync($"/v1/operator/scheduler/configuration?cas={index}", "{}"))!;
        Assert.That(fresh["Updated"]!.GetValue<bool>(), Is.True);
        Assert.That(api.State.SchedulerConfigOrDefault.SchedulerAlgorithm, Is.EqualTo("binpack"));
    }

    [TestCase("{\"SchedulerAlgorithm\":\"random\"}", "invalid scheduler algorithm: random")]
    [TestCase("{\"PreemptionConfig\":{\"SystemSchedulerEnabled\":\"yes\"}}", "SystemSchedulerEnabled: must be a bool")]
    public async Task Bad_input_is_a_one_line_400(string body, string error)
    {
        await using var api = await ApiServer.StartAsync();
        var (status, text) = await api.SendAsync(HttpMethod.Put, "/v1/operator/scheduler/configuration", body);
        Assert.That((status, text.Trim()), Is.EqualTo((HttpStatusCode.BadRequest, error)));
    }
}
