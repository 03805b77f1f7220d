namespace Nomad.Drivers.Shared;

/// <summary>Signal names as jobs write them (<c>SIGTERM</c>, <c>TERM</c>, <c>15</c>) → Linux numbers.</summary>
public static class Signals
{
    private static readonly Dictionary<string, int> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SIGHUP"] = 1, ["SIGINT"] = 2, ["SIGQUIT"] = 3, ["SIGILL"] = 4, ["SIGTRAP"] = 5, ["SIGABRT"] = 6,
        ["SIGIOT"] = 6, ["SIGBUS"] = 7, ["SIGFPE"] = 8, ["SIGKILL"] = 9, ["SIGUSR1"] = 10, ["SIGSEGV"] = 11,
        ["SIGUSR2"] = 12, ["SIGPIPE"] = 13, ["SIGALRM"] = 14, ["SIGTERM"] = 15, ["SIGSTKFLT"] = 16,
        ["SIGCHLD"] = 17, ["SIGCONT"] = 18, ["SIGSTOP"] = 19, ["SIGTSTP"] = 20, ["SIGTTIN"] = 21,
        ["SIGTTOU"] = 22, ["SIGURG"] = 23, ["SIGXCPU"] = 24, ["SIGXFSZ"] = 25, ["SIGVTALRM"] = 26,
        ["SIGPROF"] = 27, ["SIGWINCH"] = 28, ["SIGIO"] = 29, ["SIGPOLL"] = 29, ["SIGPWR"] = 30, ["SIGSYS"] = 31,
    };

    /// <summary>The signal's number; <paramref name="fallback"/> for an empty name; throws for an unknown one.</summary>
    public static int Parse(string? name, int fallback)
    {
        if (string.IsNullOrWhiteSpace(name)) return fallback;
        name = name.Trim();
        if (int.TryParse(name, out var n) && n is > 0 and < 65) return n;
        if (ByName.TryGetValue(name, out n) || ByName.TryGetValue("SIG" + name, out n)) return n;
        throw new ArgumentException($"unknown signal {name}");
    }
}
