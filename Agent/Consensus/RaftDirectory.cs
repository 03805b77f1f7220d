namespace Nomad.Agent.Consensus;

/// <summary>
/// Where the Raft node keeps its state: log/ (write-ahead log), snapshots/ and peers.bin (voter set).
/// The Raft library only has a file-backed log, so "in memory" (-dev) means a private directory on tmpfs
/// (/dev/shm, i.e. RAM) that is deleted on dispose: nothing survives the process and no data_dir is touched.
/// </summary>
internal sealed class RaftDirectory : IDisposable
{
    private RaftDirectory(string root, bool ephemeral)
    {
        Root = root;
        IsEphemeral = ephemeral;
        Directory.CreateDirectory(root);
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

        var ram = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        return new RaftDirectory(Path.Combine(ram, $"nomad-raft-{Guid.NewGuid():N}"), ephemeral: true);
    }

    public void Dispose()
    {
        if (!IsEphemeral) return;
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // best effort; the OS clears tmpfs on reboot
        }
    }
}
