using System.Text.RegularExpressions;

namespace Nomad.Agent.Consensus;

/// <summary>
/// Where the Raft node keeps its state: log/ (write-ahead log), snapshots/ and peers.bin (voter set).
/// The Raft library only has a file-backed log, so "in memory" (-dev) means a private directory on tmpfs
/// (/dev/shm, i.e. RAM) that is deleted on dispose: nothing survives the process and no data_dir is touched.
/// <para>
/// A process killed with SIGKILL never disposes: its directory would hold RAM until the next reboot. So the
/// owner keeps an exclusive lock on <see cref="OwnerLockName"/> inside for as long as it lives (the kernel drops
/// it when the process dies), and each new ephemeral directory first removes those whose lock nobody holds.
/// </para>
/// </summary>
internal sealed partial class RaftDirectory : IDisposable
{
    private const string EphemeralPrefix = "nomad-raft-";

    /// <summary>Locked exclusively by the process that owns an ephemeral directory.</summary>
    internal const string OwnerLockName = "owner.lock";

    // A directory younger than this is never judged: its owner may be between creating it and locking it.
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    private readonly FileStream? _ownerLock;

    private RaftDirectory(string root, bool ephemeral)
    {
        Root = root;
        IsEphemeral = ephemeral;
        Directory.CreateDirectory(root);
        // FileShare.None is an exclusive flock(2) on Linux: held until disposed, or until the process dies.
        if (ephemeral) _ownerLock = new FileStream(Path.Combine(root, OwnerLockName), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        Snapshots = Directory.CreateDirectory(Path.Combine(root, "snapshots"));
    }

    public string Root { get; }

    public bool IsEphemeral { get; }

    public string Log => Path.Combine(Root, "log");

    public DirectoryInfo Snapshots { get; }

    public const string PeersFileName = "peers.bin";

    public string PeersFile => Path.Combine(Root, PeersFileName);

    public static RaftDirectory Open(string? dataDirectory)
    {
        if (dataDirectory is not null)
            return new RaftDirectory(Path.GetFullPath(dataDirectory), ephemeral: false);
        return OpenEphemeral(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath());
    }

    /// <summary>A new private directory under <paramref name="parent"/>, after removing the ones dead owners left there.</summary>
    internal static RaftDirectory OpenEphemeral(string parent)
    {
        RemoveAbandoned(parent);
        return new RaftDirectory(Path.Combine(parent, $"{EphemeralPrefix}{Guid.NewGuid():N}"), ephemeral: true);
    }

    private static void RemoveAbandoned(string parent)
    {
        foreach (var dir in Directory.EnumerateDirectories(parent, EphemeralPrefix + "*"))
        {
            if (!EphemeralName().IsMatch(Path.GetFileName(dir))) continue;
            if (IsAbandoned(dir)) Delete(dir);
        }
    }

    private static bool IsAbandoned(string dir)
    {
        var lockPath = Path.Combine(dir, OwnerLockName);
        var locked = File.Exists(lockPath);
        // The lock file is never written after its creation, so its time is its owner's start.
        var born = locked ? File.GetLastWriteTimeUtc(lockPath) : Directory.GetLastWriteTimeUtc(dir);
        if (DateTime.UtcNow - born < Grace) return false;
        if (!locked) return true; // left before owners took a lock
        try
        {
            // Taking the lock proves its owner is gone; the handle is closed before the directory goes.
            using (new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // locked (its owner lives), removed meanwhile, or another user's
        }
    }

    private static void Delete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // best effort; the OS clears tmpfs on reboot
        }
    }

    public void Dispose()
    {
        if (!IsEphemeral) return;
        _ownerLock?.Dispose();
        Delete(Root);
    }

    [GeneratedRegex("^nomad-raft-[0-9a-f]{32}$")]
    private static partial Regex EphemeralName();
}
