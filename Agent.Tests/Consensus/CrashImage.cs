namespace Nomad.Agent.Tests.Consensus;

/// <summary>
/// Copies a live Raft directory the way kill -9 would leave it: the page cache (and so the log's memory-mapped
/// pages) survives a process kill, so a copy of the files taken while the node runs is such an image, provided each
/// file is copied after the ones that point into it: checkpoint and term state first, then entry metadata, then data.
/// </summary>
internal static class CrashImage
{
    public static void Copy(string source, string destination)
    {
        string[] order = ["peers.bin", "snapshots", "log/checkpoint", "log/state", "log/metadata", "log/data"];
        foreach (var relative in order)
        {
            var from = Path.Combine(source, relative);
            var to = Path.Combine(destination, relative);
            if (File.Exists(from))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(from, to);
            }
            else if (Directory.Exists(from))
            {
                Directory.CreateDirectory(to);
                foreach (var file in Directory.GetFiles(from))
                    File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }
        }
    }
}
