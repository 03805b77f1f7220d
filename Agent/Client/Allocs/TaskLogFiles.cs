namespace Nomad.Agent.Client.Allocs;

/// <summary>One rotated log file: <c>TASK.TYPE.INDEX</c>.</summary>
public sealed record LogFile(string Path, int Index, long Size);

/// <summary>A task's log stream on disk as the drivers rotate it: <c>alloc/logs/TASK.TYPE.0</c>, <c>.1</c>, ...</summary>
public sealed class TaskLogFiles(AllocDir dir, string task, string type)
{
    private string Prefix => $"{task}.{type}.";

    /// <summary>The files present now, oldest (lowest index) first.</summary>
    public List<LogFile> List()
    {
        if (!Directory.Exists(dir.LogsDir)) return [];
        var files = new List<LogFile>();
        foreach (var path in Directory.EnumerateFiles(dir.LogsDir, Prefix + "*"))
        {
            var name = Path.GetFileName(path);
            if (!int.TryParse(name.AsSpan(Prefix.Length), out var index) || index < 0) continue;
            try { files.Add(new LogFile(path, index, new FileInfo(path).Length)); }
            catch (FileNotFoundException) { }
        }
        files.Sort((a, b) => a.Index.CompareTo(b.Index));
        return files;
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
    public string RelativePath(int index) => $"alloc/logs/{Prefix}{index}";

    public string FullPath(int index) => Path.Combine(dir.LogsDir, Prefix + index);
}
