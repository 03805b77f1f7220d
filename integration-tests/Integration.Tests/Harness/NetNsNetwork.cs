using System.Diagnostics;

namespace Nomad.IntegrationTests.Harness;

/// <summary>
/// Hosts on one private network, each in its own network namespace: a bridge in the root namespace (the test
/// reaches every host through it) and a veth pair per host. <see cref="Cut"/> takes a host's link down, so nothing
/// reaches it and it reaches nothing: a real partition. Needs root (CI runs as root); names carry a random suffix
/// so parallel runs do not collide.
/// </summary>
public sealed class NetNsNetwork : IAsyncDisposable
{
    private readonly string _suffix;
    private readonly string _subnet; // "10.A.B"
    private readonly int _hosts;

    private NetNsNetwork(int hosts)
    {
        _hosts = hosts;
        _suffix = Random.Shared.Next(0x1000, 0xffff).ToString("x4");
        _subnet = $"10.{Random.Shared.Next(200, 250)}.{Random.Shared.Next(1, 254)}";
    }

    private string Bridge => $"nb{_suffix}";
    private string HostSide(int i) => $"nh{_suffix}{i}";
    private string NsSide(int i) => $"nn{_suffix}{i}";
    public string Namespace(int i) => $"nomad-it-{_suffix}-{i}";
    /// <summary>Host <paramref name="i"/>'s address.</summary>
    public string Ip(int i) => $"{_subnet}.{10 + i}";
    /// <summary>Runs a command inside host <paramref name="i"/>'s namespace: prefix it with this.</summary>
    public string[] Exec(int i) => ["ip", "netns", "exec", Namespace(i)];

    /// <summary>Builds the network, or returns null (with the reason) where namespaces cannot be made.</summary>
    public static NetNsNetwork? TryCreate(int hosts, out string? why)
    {
        var net = new NetNsNetwork(hosts);
        try
        {
            net.Run("link", "add", net.Bridge, "type", "bridge");
            net.Run("addr", "add", $"{net._subnet}.1/24", "dev", net.Bridge);
            net.Run("link", "set", net.Bridge, "up");
            for (var i = 0; i < hosts; i++)
            {
                net.Run("netns", "add", net.Namespace(i));
                net.Run("link", "add", net.HostSide(i), "type", "veth", "peer", "name", net.NsSide(i));
                net.Run("link", "set", net.NsSide(i), "netns", net.Namespace(i));
                net.Run("link", "set", net.HostSide(i), "master", net.Bridge);
                net.Run("link", "set", net.HostSide(i), "up");
                net.Run("-n", net.Namespace(i), "link", "set", "lo", "up");
                net.Run("-n", net.Namespace(i), "addr", "add", $"{net.Ip(i)}/24", "dev", net.NsSide(i));
                net.Run("-n", net.Namespace(i), "link", "set", net.NsSide(i), "up");
            }
            why = null;
            return net;
        }
        catch (InvalidOperationException e)
        {
            net.Teardown();
            why = e.Message;
            return null;
        }
    }

    /// <summary>Partitions host <paramref name="i"/> from everyone (the test included).</summary>
    public void Cut(int i) => Run("link", "set", HostSide(i), "down");

    public void Heal(int i) => Run("link", "set", HostSide(i), "up");

    private void Run(params string[] args)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process p;
        // No `ip` on the machine (iproute2 missing) reads as any other failure: the caller skips with the reason.
        try { p = Process.Start(psi) ?? throw new InvalidOperationException("cannot run ip"); }
        catch (System.ComponentModel.Win32Exception e) { throw new InvalidOperationException($"cannot run ip: {e.Message}"); }
        using var _ = p;
        var err = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"ip {string.Join(' ', args)}: {err.Trim()}");
    }

    private void Teardown()
    {
        for (var i = 0; i < _hosts; i++)
        {
            try { Run("netns", "del", Namespace(i)); } catch (InvalidOperationException) { }
            try { Run("link", "del", HostSide(i)); } catch (InvalidOperationException) { }
        }
        try { Run("link", "del", Bridge); } catch (InvalidOperationException) { }
    }

    public ValueTask DisposeAsync()
    {
        Teardown();
        return ValueTask.CompletedTask;
    }
}
