namespace Nomad.Agent.Client.Artifacts;

/// <summary>
/// The safety rules of a fetched artifact's staging directory and of its move into the task: symbolic links may
/// only point inside the tree they belong to (resolved step by step, following the tree's own links, so that no
/// chain of them climbs out), nothing is created through a link, and the destination is reached through real
/// directories only, so that a link the task left in its directory cannot carry the artifact elsewhere.
/// </summary>
public static class StagingTree
{
    private const int MaxLinkHops = 40; // Linux's MAXSYMLINKS

    /// <summary>Makes the link <paramref name="name"/> (a path inside <paramref name="root"/>) to <paramref name="target"/>, if it stays inside.</summary>
    public static void CreateLink(string root, string name, string target)
    {
        string path = Path.Combine(root, name);
        string parent = Path.GetDirectoryName(path)!;
        EnsureRealDirectory(root, Path.GetRelativePath(root, parent), name);
        if (!Resolves(root, name, target)) throw Escape(name, target);
        if (Directory.Exists(path) && !IsLink(path))
            throw new ArtifactException($"entry {name} is both a directory and a symlink");
        if (File.Exists(path) || IsLink(path)) File.Delete(path);
        File.CreateSymbolicLink(path, target);
    }

    /// <summary>Checks every link under <paramref name="root"/> again, now that all are made (a later link can change where an earlier one leads).</summary>
    public static void CheckLinks(string root)
    {
        foreach (var path in Walk(root))
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not { } target) continue;
            string name = Path.GetRelativePath(root, path);
            if (!Resolves(root, name, target)) throw Escape(name, target);
        }
    }

    /// <summary>Every path under <paramref name="root"/>, each directory before what it holds, never descending into a link.</summary>
    public static IEnumerable<string> Walk(string root)
    {
        var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false };
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", options))
        {
            yield return path;
            if (!IsLink(path) && Directory.Exists(path))
                foreach (var inner in Walk(path)) yield return inner;
        }
    }

    /// <summary>
    /// Whether the link <paramref name="name"/> with <paramref name="target"/> resolves inside <paramref name="root"/>:
    /// each element is followed as the kernel would, through the tree's own links; an absolute target, a <c>..</c>
    /// above the root or too many hops is an escape. Elements that do not exist are taken as written.
    /// </summary>
    public static bool Resolves(string root, string name, string target)
    {
        var resolved = new List<string>(name.Split('/', StringSplitOptions.RemoveEmptyEntries));
        resolved.RemoveAt(resolved.Count - 1); // a link's target is relative to the directory holding it
        var pending = new Stack<string>();
        int hops = 0;
        void Push(string t)
        {
            foreach (var part in t.Split('/').Reverse()) pending.Push(part);
        }
        if (Path.IsPathRooted(target)) return false;
        Push(target);
        while (pending.Count > 0)
        {
            string part = pending.Pop();
            if (part is "" or ".") continue;
            if (part == "..")
            {
                if (resolved.Count == 0) return false;
                resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            string path = Path.Combine(root, Path.Combine([.. resolved, part]));
            if (new FileInfo(path).LinkTarget is { } next)
            {
                if (++hops > MaxLinkHops || Path.IsPathRooted(next)) return false;
                Push(next);
                continue;
            }
            resolved.Add(part);
        }
        return true;
    }

    /// <summary>
    /// Creates <paramref name="relative"/> under <paramref name="root"/> as real directories, refusing an existing
    /// element that is a link or a file; returns the full path.
    /// </summary>
    public static string EnsureRealDirectory(string root, string relative, string forWhat)
    {
        string path = root;
        foreach (var part in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..") throw new ArtifactException($"artifact destination path escapes alloc directory");
            path = Path.Combine(path, part);
            if (IsLink(path))
                throw new ArtifactException($"path to {forWhat} goes through the symlink {Path.GetRelativePath(root, path)}");
            if (File.Exists(path)) throw new ArtifactException($"path to {forWhat} goes through the file {Path.GetRelativePath(root, path)}");
            Directory.CreateDirectory(path);
        }
        return path;
    }

    /// <summary>
    /// Moves everything in <paramref name="source"/> into the directory <paramref name="destination"/> (which must
    /// exist and be reached through real directories): directories merge into real directories of the same name,
    /// anything else replaces what was there (a link the task left is replaced, never followed).
    /// </summary>
    public static void MergeInto(string source, string destination)
    {
        foreach (var from in Directory.EnumerateFileSystemEntries(source))
        {
            string to = Path.Combine(destination, Path.GetFileName(from));
            bool fromIsDir = Directory.Exists(from) && !IsLink(from);
            bool toIsLink = IsLink(to);
            bool toIsDir = !toIsLink && Directory.Exists(to);
            if (fromIsDir && toIsDir)
            {
                MergeInto(from, to);
                continue;
            }
            if (toIsDir) Directory.Delete(to, recursive: true);
            else if (toIsLink || File.Exists(to)) File.Delete(to);
            Move(from, to, fromIsDir);
        }
    }

    /// <summary>Moves the file <paramref name="from"/> to <paramref name="to"/>, replacing a file or link there.</summary>
    public static void PlaceFile(string from, string to)
    {
        if (!IsLink(to) && Directory.Exists(to))
            throw new ArtifactException($"artifact destination {to} is a directory");
        File.Move(from, to, overwrite: true);
    }

    private static void Move(string from, string to, bool isDir)
    {
        if (isDir) Directory.Move(from, to);
        else File.Move(from, to, overwrite: true);
    }

    /// <summary>Whether the path is a symbolic link (not following it; false when nothing is there).</summary>
    public static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    private static ArtifactException Escape(string name, string target) =>
        new($"artifact includes symlink that resolves outside of sandbox: {name} -> {target}");
}
