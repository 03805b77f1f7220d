using Nomad.Agent.Structs;

namespace Nomad.Agent.Client;

/// <summary>What the client reports about its machine: attributes, resources and drivers, and when they change.</summary>
public interface INodeFacts
{
    Dictionary<string, string> Attributes();
    NodeResources Resources();
    Dictionary<string, DriverInfo> Drivers();
    event Action? Changed;
}

/// <summary>Facts from the loaded fingerprint plugins and driver plugins.</summary>
public sealed class PluginNodeFacts : INodeFacts
{
    private readonly FingerprintManager _fingerprints;
    private readonly DriverManager _drivers;

    public PluginNodeFacts(FingerprintManager fingerprints, DriverManager drivers)
    {
        _fingerprints = fingerprints;
        _drivers = drivers;
        fingerprints.Changed += () => Changed?.Invoke();
        drivers.Changed += () => Changed?.Invoke();
    }

    public event Action? Changed;

    public Dictionary<string, string> Attributes()
    {
        var attrs = _fingerprints.Attributes();
        foreach (var (k, v) in _drivers.Attributes()) attrs[k] = v;
        return attrs;
    }

    public NodeResources Resources() => _fingerprints.Resources();
    public Dictionary<string, DriverInfo> Drivers() => _drivers.Infos();
}
