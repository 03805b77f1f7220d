using Nomad.Contracts;

namespace Nomad.Fingerprints;

/// <summary>
/// <c>os.signals</c>: the signals a task can be sent (Nomad's own <c>signal</c> fingerprinter). Nomad lists its
/// signal table in Go map order, which varies per run; we keep the order one Nomad 0.11.8 run printed.
/// </summary>
public sealed class SignalFingerprinter : IFingerprintPlugin
{
    /// <summary>Nomad's Linux signal table.</summary>
    internal static readonly string[] Signals =
    [
        "SIGIOT", "SIGKILL", "SIGSEGV", "SIGBUS", "SIGCONT", "SIGIO", "SIGXCPU", "SIGILL", "SIGPIPE", "SIGPROF",
        "SIGURG", "SIGSTOP", "SIGTERM", "SIGUSR1", "SIGABRT", "SIGHUP", "SIGTRAP", "SIGWINCH", "SIGALRM", "SIGCHLD",
        "SIGFPE", "SIGSYS", "SIGUSR2", "SIGXFSZ", "SIGINT", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGQUIT",
    ];

    public string Name => "signal";
    public TimeSpan? Period => null;

    public Task<FingerprintResponse> FingerprintAsync(FingerprintRequest request, CancellationToken ct = default)
        => Task.FromResult(new FingerprintResponse(true, new() { ["os.signals"] = string.Join(",", Signals) }));
}
