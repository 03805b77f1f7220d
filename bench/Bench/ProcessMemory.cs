namespace Nomad.Bench;

/// <summary>
/// A process's memory as the kernel counts it: resident set (VmRSS and its anonymous, file and shmem parts from
/// /proc/PID/status) and the tmpfs (/dev/shm) files it holds open, which use RAM without being part of its RSS.
/// </summary>
public sealed record ProcessMemory(double RssMb, double AnonMb, double FileMb, double ShmemMb, double OpenTmpfsMb)
{
    public static ProcessMemory Of(int pid)
    {
        var status = File.ReadLines($"/proc/{pid}/status")
            .Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1].Trim());
        double Mb(string key) => status.TryGetValue(key, out var v) ? long.Parse(v.Split(' ')[0]) / 1024.0 : 0;
        return new ProcessMemory(Mb("VmRSS"), Mb("RssAnon"), Mb("RssFile"), Mb("RssShmem"), OpenTmpfs(pid));
    }

    /// <summary>Sum of the sizes of the distinct /dev/shm files the process has open (its in-memory Raft log in -dev).</summary>
    private static double OpenTmpfs(int pid)
    {
        var files = new HashSet<string>();
        foreach (var fd in Directory.EnumerateFiles($"/proc/{pid}/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("/dev/shm/", StringComparison.Ordinal)) files.Add(target);
            }
            catch (IOException) { } // closed meanwhile
        }
        return files.Sum(f => File.Exists(f) ? new FileInfo(f).Length : 0) / 1024.0 / 1024.0;
    }

    public override string ToString() =>
        $"RSS {RssMb:0.0} MB (anon {AnonMb:0.0}, file {FileMb:0.0}, shmem {ShmemMb:0.0}), open tmpfs files {OpenTmpfsMb:0.0} MB";
}
