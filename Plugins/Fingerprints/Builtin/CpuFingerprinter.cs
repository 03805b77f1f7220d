using System.Globalization;
using Nomad.Contracts;

namespace Nomad.Fingerprints;

/// <summary>
/// <c>cpu.frequency</c> (MHz), <c>cpu.numcores</c>, <c>cpu.modelname</c>, <c>cpu.totalcompute</c> (MHz × cores) and the
/// node's CpuShares, read as Nomad (gopsutil) reads them: the first CPU's <c>cpuinfo_max_freq</c> when cpufreq exists,
/// else its <c>cpu MHz</c> line; cores are the logical CPUs listed in /proc/cpuinfo.
/// </summary>
public sealed class CpuFingerprinter : IFingerprintPlugin
{
    /// <summary>Option that overrides the total compute (Nomad's client <c>cpu_total_compute</c>), if the agent passes it.</summary>
    public const string TotalComputeOption = "cpu_total_compute";

    public string Name => "cpu";
    public TimeSpan? Period => null;

    public Task<FingerprintResponse> FingerprintAsync(FingerprintRequest request, CancellationToken ct = default)
    {
        var log = new FingerprintLog(request);
        var info = CpuInfo.Read();
        var attrs = new Dictionary<string, string?>();

        if (info.ModelName.Length > 0) attrs["cpu.modelname"] = info.ModelName;

        if (info.Mhz > 0)
        {
            var mhz = Math.Round(info.Mhz, MidpointRounding.ToEven).ToString("0", CultureInfo.InvariantCulture);
            attrs["cpu.frequency"] = mhz;
            log.Debug("detected cpu frequency", ("MHz", mhz));
        }

        if (info.Cores > 0)
        {
            attrs["cpu.numcores"] = info.Cores.ToString(CultureInfo.InvariantCulture);
            log.Debug("detected core count", ("cores", info.Cores));
        }

        // Nomad: int(float64(cores) * mhz), truncated.
        var totalCompute = (long)(info.Cores * info.Mhz);
        if (request.Options.TryGetValue(TotalComputeOption, out var configured)
            && long.TryParse(configured, NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) && c > 0)
        {
            log.Debug("using user specified cpu compute", ("cpu_compute", c));
            totalCompute = c;
        }
        if (totalCompute <= 0)
            throw new InvalidOperationException(
                $"cannot detect cpu total compute. CPU compute must be set manually using the client config option \"{TotalComputeOption}\"");

        attrs["cpu.totalcompute"] = totalCompute.ToString(CultureInfo.InvariantCulture);
        return Task.FromResult(new FingerprintResponse(true, attrs, new NodeResourcesFingerprint(CpuShares: totalCompute)));
    }
}

/// <summary>What /proc/cpuinfo and cpufreq say of the CPUs.</summary>
internal sealed record CpuInfo(string ModelName, double Mhz, int Cores)
{
    public static CpuInfo Read() =>
        Parse(ProcFiles.ReadAll("/proc/cpuinfo"), ProcFiles.FirstLine("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq"));

    /// <param name="cpuinfo">/proc/cpuinfo's text.</param>
    /// <param name="maxFreqKhz">cpu0's cpufreq <c>cpuinfo_max_freq</c> (kHz), or null without cpufreq.</param>
    public static CpuInfo Parse(string? cpuinfo, string? maxFreqKhz)
    {
        string model = "";
        double mhz = 0;
        var cores = 0;
        var firstCpu = true;
        foreach (var line in (cpuinfo ?? "").Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "processor":
                    if (cores > 0) firstCpu = false;
                    cores++;
                    break;
                case "model name" or "Processor" or "cpu model" when firstCpu && model.Length == 0:
                    model = value;
                    break;
                case "cpu MHz" when firstCpu && mhz == 0:
                    double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out mhz);
                    break;
            }
        }
        if (double.TryParse(maxFreqKhz, NumberStyles.Float, CultureInfo.InvariantCulture, out var khz) && khz > 0)
            mhz = khz / 1000.0;
        if (cores == 0) cores = Environment.ProcessorCount;
        return new CpuInfo(model, mhz, cores);
    }
}
