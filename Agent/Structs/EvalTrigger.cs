namespace Nomad.Agent.Structs;

/// <summary>Values of Evaluation.TriggeredBy.</summary>
public static class EvalTrigger
{
    public const string JobRegister = "job-register";
    public const string JobDeregister = "job-deregister";
    public const string PeriodicJob = "periodic-job";
    public const string NodeUpdate = "node-update";
    public const string AllocFailure = "alloc-failure";
    public const string QueuedAllocs = "queued-allocs";
    public const string NodeDrain = "node-drain";
    public const string Preemption = "preemption";
}
