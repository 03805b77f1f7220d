using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace Nomad.Agent;

/// <summary>A signal the agent caught, with the name Nomad prints for it (`==> Caught signal: interrupt`).</summary>
public sealed record CaughtSignal(PosixSignal Signal, string Name);

/// <summary>
/// The signals `nomad agent` acts on, as Nomad's agent: SIGINT and SIGTERM stop it, SIGHUP reloads its
/// configuration, SIGQUIT quits at once. Signals are queued from the moment this is created until disposed.
/// </summary>
public sealed class AgentSignals : IDisposable
{
    private readonly Channel<CaughtSignal> _caught = Channel.CreateUnbounded<CaughtSignal>();
    private readonly List<PosixSignalRegistration> _registrations = new();

    public AgentSignals()
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT })
            _registrations.Add(PosixSignalRegistration.Create(signal, Handle));
    }

    private void Handle(PosixSignalContext c)
    {
        c.Cancel = true;
        _caught.Writer.TryWrite(new CaughtSignal(c.Signal, NameOf(c.Signal)));
    }

    /// <summary>Go's names for the signals, which Nomad prints.</summary>
    public static string NameOf(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGINT => "interrupt",
        PosixSignal.SIGTERM => "terminated",
        PosixSignal.SIGHUP => "hangup",
        PosixSignal.SIGQUIT => "quit",
        _ => signal.ToString(),
    };

    /// <summary>The next signal; cancelling <paramref name="ct"/> reads as SIGTERM.</summary>
    public async Task<CaughtSignal> NextAsync(CancellationToken ct)
    {
        try { return await _caught.Reader.ReadAsync(ct).ConfigureAwait(false); }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { return new CaughtSignal(PosixSignal.SIGTERM, NameOf(PosixSignal.SIGTERM)); }
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
    }

    /// <summary>
    /// Undoes an inherited *ignore* of SIGINT, SIGQUIT and SIGHUP. A process started in the background by a
    /// non-interactive shell (`nomad agent &amp;` in a script) inherits SIGINT and SIGQUIT ignored, `nohup` ignores
    /// SIGHUP, and .NET keeps an inherited ignore even when a handler is registered; Nomad's agent (Go's
    /// signal.Notify) acts on them whatever it inherited. Must run before anything in the process touches
    /// Console, Process or PosixSignalRegistration: .NET reads the disposition once, at its signal set-up.
    /// A disposition other than ignore (the runtime's own handler) is left as it is.
    /// </summary>
    public static void ResetInheritedIgnores()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        foreach (var signal in new[] { SigHup, SigInt, SigQuit })
        {
            if (IsIgnored(signal)) Native.signal(signal, SigDfl);
        }
    }

    /// <summary>Whether the process ignores <paramref name="signal"/> (a Linux/macOS signal number).</summary>
    public static bool IsIgnored(int signal)
    {
        // struct sigaction starts with the handler on Linux and macOS; 256 bytes hold the whole struct on both.
        var old = Marshal.AllocHGlobal(256);
        try
        {
            return Native.sigaction(signal, IntPtr.Zero, old) == 0 && Marshal.ReadIntPtr(old) == SigIgn;
        }
        finally { Marshal.FreeHGlobal(old); }
    }

    public const int SigHup = 1, SigInt = 2, SigQuit = 3;
    private static readonly IntPtr SigDfl = IntPtr.Zero, SigIgn = new(1);

    private static class Native
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int sigaction(int signum, IntPtr act, IntPtr oldact);

        [DllImport("libc", SetLastError = true)]
        public static extern IntPtr signal(int signum, IntPtr handler);
    }
}
