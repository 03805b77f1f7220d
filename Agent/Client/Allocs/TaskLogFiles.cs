namespace Nomad.Agent.Client.Allocs;

/// <summary>One rotated log file: <c>TASK.TYPE.INDEX</c> (its path relative to the allocation directory).</summary>
public sealed record LogFile(string Path, int Index, long Size);

/// <summary>
/// A task's log stream on disk as the drivers rotate it: <c>alloc/logs/TASK.TYPE.0</c>, <c>.1</c>, ... Read through
/// <see cref="AllocFileAccess"/> like every file the fs API serves (the task owns <c>alloc/logs</c> and may put
/// links there): a link is followed as far as it stays inside the allocation directory, as for cat. Whatever is
/// named like a log file and is not a regular file (a directory, a FIFO, a device) is not a log file: left out.
/// </summary>
public sealed class TaskLogFiles(AllocFileAccess files, string task, string type)
{
    private const string LogsDir = "alloc/logs";
    private string Prefix => $"{task}.{type}.";

    /// <summary>The files present now, oldest (lowest index) first.</summary>
    public List<LogFile> List()
    {
        var found = new List<LogFile>();
        foreach (var entry in files.TryList(LogsDir) ?? [])
        {
            if (!entry.Name.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            if (!int.TryParse(entry.Name.AsSpan(Prefix.Length), System.Globalization.NumberStyles.None, null, out var index)) continue;
            // The size of what a read gets, through a link too; a file gone since the listing, or not a regular file, is left out.
            using var file = TryOpen(index);
            if (file is not null) found.Add(new LogFile(RelativePath(index), index, RandomAccess.GetLength(file)));
        }
        found.Sort((a, b) => a.Index.CompareTo(b.Index));
        return found;
    }

    /// <summary>
    /// Where to begin reading: <paramref name="offset"/> bytes into the stream of files from the start, or
    /// back from the end (as Nomad's logs API, across rotated files). Returns the file index and the offset in it.
    /// </summary>
    public (int Index, long Offset) StartAt(string origin, long offset)
    {
        var files = List();
        if (files.Count == 0) return (0, 0);
        if (origin == "end")
        {
            var remaining = offset;
            for (var i = files.Count - 1; i >= 0; i--)
            {
                if (remaining <= files[i].Size) return (files[i].Index, files[i].Size - remaining);
                remaining -= files[i].Size;
            }
            return (files[0].Index, 0);
        }
        var skip = offset;
        foreach (var f in files)
        {
            if (skip < f.Size) return (f.Index, skip);
            skip -= f.Size;
        }
        var last = files[^1];
        return (last.Index, last.Size);
    }

    /// <summary>The path of the file with <paramref name="index"/>, relative to the allocation directory (for frames).</summary>
    public string RelativePath(int index) => $"{LogsDir}/{Prefix}{index}";

    /// <summary>The file with <paramref name="index"/>, open for reading; null when it is not there (yet, or any more) or is no regular file.</summary>
    public Microsoft.Win32.SafeHandles.SafeFileHandle? TryOpen(int index) => files.TryOpenRegularFile(RelativePath(index));
}
