using Nomad.Agent.Logging;
using Nomad.Agent.Structs;
using Nomad.Contracts;

namespace Nomad.Agent.Client;

/// <summary>
/// Runs the loaded fingerprinters (whatever plugins brought them; the kernel names none), merges what they
/// report into node attributes and resources, re-runs periodic ones on their period, and says when the
/// result changed.
/// </summary>
public sealed class FingerprintManager : IAsyncDisposable
{
    private readonly Logger _log;
    private readonly FingerprintRequest _request;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FingerprintResponse> _results = new();
    private readonly List<IFingerprintPlugin> _fingerprinters = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _periodic = new();

    public FingerprintManager(FingerprintRequest request, Logger log)
    {
        _request = request;
        _log = log;
    }

    /// <summary>Raised after a periodic or newly added fingerprinter changed the result.</summary>
    public event Action? Changed;

    /// <summary>Runs each fingerprinter once now and starts the periodic ones.</summary>
    public async Task AddAsync(IEnumerable<IFingerprintPlugin> fingerprinters)
    {
        var added = fingerprinters.ToList();
        lock (_gate) _fingerprinters.AddRange(added);
        await Task.WhenAll(added.Select(RunOneAsync)).ConfigureAwait(false);
        foreach (var f in added.Where(f => f.Period is not null))
        {
            _log.Debug($"fingerprinting periodically: fingerprinter={f.Name} period={f.Period!.Value.TotalSeconds:0.#}s");
            _periodic.Add(Task.Run(() => PeriodicAsync(f, _stop.Token)));
        }
        _log.Debug($"detected fingerprints: node_attrs=[{string.Join(", ", DetectedNames())}]");
        // A plugin added while the client runs changes the node like any periodic change does.
        Changed?.Invoke();
    }

    public IReadOnlyList<string> DetectedNames()
    {
        lock (_gate) return _results.Where(r => r.Value.Detected).Select(r => r.Key).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Node attributes from every detected fingerprinter (later names win on a clash).</summary>
    public Dictionary<string, string> Attributes()
    {
        var attrs = new Dictionary<string, string>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var (_, r) in _results.OrderBy(r => r.Key, StringComparer.Ordinal).Where(r => r.Value.Detected))
                foreach (var (k, v) in r.Attributes)
                    if (v is null) attrs.Remove(k); else attrs[k] = v;
        }
        return attrs;
    }

    /// <summary>Node resources as measured (CPU, memory, disk, networks).</summary>
    public NodeResources Resources()
    {
        var res = new NodeResources();
        lock (_gate)
        {
            foreach (var r in _results.Values.Where(r => r.Detected && r.Resources is not null).Select(r => r.Resources!))
            {
                if (r.CpuShares is { } cpu) res = res with { Cpu = new NodeCpuResources { CpuShares = cpu } };
                if (r.MemoryMB is { } mem) res = res with { Memory = new NodeMemoryResources { MemoryMB = mem } };
                if (r.DiskMB is { } disk) res = res with { Disk = new NodeDiskResources { DiskMB = disk } };
                if (r.Networks is { } nets)
                    res = res with { Networks = nets.Select(n => new NetworkResource { Device = n.Device, CIDR = n.CIDR, IP = n.IP, MBits = n.MBits }).ToList() };
            }
        }
        return res;
    }

    private async Task<bool> RunOneAsync(IFingerprintPlugin f)
    {
        FingerprintResponse result;
        try
        {
            var named = _log.Named(f.Name);
            result = await f.FingerprintAsync(_request with { Log = (level, message) => Write(named, level, message) }, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.Warn($"fingerprinting failed: fingerprinter={f.Name} error=\"{e.Message}\"");
            result = FingerprintResponse.NotDetected;
        }
        lock (_gate)
        {
            var changed = !_results.TryGetValue(f.Name, out var old) || !Same(old, result);
            _results[f.Name] = result;
            return changed;
        }
    }

    private async Task PeriodicAsync(IFingerprintPlugin f, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(f.Period!.Value);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
                if (await RunOneAsync(f).ConfigureAwait(false)) Changed?.Invoke();
        }
        catch (OperationCanceledException) { }
    }

    private static bool Same(FingerprintResponse a, FingerprintResponse b) =>
        a.Detected == b.Detected && a.Attributes.Count == b.Attributes.Count && !a.Attributes.Except(b.Attributes).Any() && Equals(a.Resources?.CpuShares, b.Resources?.CpuShares)
        && Equals(a.Resources?.MemoryMB, b.Resources?.MemoryMB) && Equals(a.Resources?.DiskMB, b.Resources?.DiskMB);

    private static void Write(Logger parent, string level, string message)
    {
        LogSeverityNames.TryParse(level, out var severity);
        parent.Sink.Write(severity < 0 ? LogSeverity.Info : severity, parent.Subsystem, message);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await Task.WhenAll(_periodic).ConfigureAwait(false);
        _stop.Dispose();
    }
}
