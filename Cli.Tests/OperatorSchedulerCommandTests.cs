using System.Text.Json;

namespace Nomad.Cli.Tests;

/// <summary>`nomad operator scheduler get-config|set-config` against a scripted API: Nomad's output, and set-config's read-merge-CAS.</summary>
public sealed class OperatorSchedulerCommandTests
{
    private const string Config = """
        {"SchedulerConfig":{"SchedulerAlgorithm":"binpack","PreemptionConfig":{"SystemSchedulerEnabled":true,"SysBatchSchedulerEnabled":false,"BatchSchedulerEnabled":false,"ServiceSchedulerEnabled":false},"MemoryOversubscriptionEnabled":false,"RejectJobRegistration":false,"PauseEvalBroker":false,"CreateIndex":5,"ModifyIndex":7},"Index":7}
        """;

    private static async Task<(int Code, string Out, string Err)> NomadAsync(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = await NomadCli.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Test]
    public async Task Get_config_prints_Nomads_key_value_list()
    {
        using var api = new ScriptedApi();
        api.On("GET /v1/operator/scheduler/configuration", Config, 7);
        var (code, stdout, stderr) = await NomadAsync("operator", "scheduler", "get-config", "-address", api.Address);
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Is.EqualTo(
            "Scheduler Algorithm           = binpack\n" +
            "Memory Oversubscription       = false\n" +
            "Reject Job Registration       = false\n" +
            "Pause Eval Broker             = false\n" +
            "Preemption System Scheduler   = true\n" +
            "Preemption Service Scheduler  = false\n" +
            "Preemption Batch Scheduler    = false\n" +
            "Preemption SysBatch Scheduler = false\n" +
            "Modify Index                  = 7\n"));
    }

    [Test]
    public async Task Set_config_changes_only_the_flags_given_and_writes_with_the_index_it_read()
    {
        using var api = new ScriptedApi();
        api.On("GET /v1/operator/scheduler/configuration", Config, 7);
        api.On("PUT /v1/operator/scheduler/configuration", """{"Updated":true,"Index":9}""", 9);
        var (code, stdout, stderr) = await NomadAsync("operator", "scheduler", "set-config", "-address", api.Address,
            "-preempt-service-scheduler=true", "-scheduler-algorithm", "spread");
        Assert.That((code, stdout), Is.EqualTo((0, "Scheduler configuration updated!\n")), stderr);

        var put = api.Requests.Single(r => r.Request.StartsWith("PUT ", StringComparison.Ordinal));
        Assert.That(put.Request, Is.EqualTo("PUT /v1/operator/scheduler/configuration?cas=7"));
        using var body = JsonDocument.Parse(put.Body);
        var p = body.RootElement.GetProperty("PreemptionConfig");
        Assert.That((body.RootElement.GetProperty("SchedulerAlgorithm").GetString(), p.GetProperty("ServiceSchedulerEnabled").GetBoolean(),
            p.GetProperty("SystemSchedulerEnabled").GetBoolean(), p.GetProperty("BatchSchedulerEnabled").GetBoolean()), Is.EqualTo(("spread", true, true, false)));
    }

    [Test]
    public async Task Set_config_reports_a_lost_check_and_set_and_a_stale_check_index()
    {
        using var api = new ScriptedApi();
        api.On("GET /v1/operator/scheduler/configuration", Config, 7);
        api.On("PUT /v1/operator/scheduler/configuration", """{"Updated":false,"Index":9}""", 9);
        var lost = await NomadAsync("operator", "scheduler", "set-config", "-address", api.Address, "-preempt-batch-scheduler=true");
        Assert.That((lost.Code, lost.Out), Is.EqualTo((1, "Scheduler configuration could not be atomically updated, please try again\n")));

        var stale = await NomadAsync("operator", "scheduler", "set-config", "-address", api.Address, "-check-index", "6", "-preempt-batch-scheduler=true");
        Assert.That((stale.Code, stale.Err), Is.EqualTo((1, "Error performing check index set: check-index 6 does not match does not match current state value 7\n")));
    }
}
