using System.Text;
using System.Text.RegularExpressions;
using Nomad.Agent.Hcl.Values;
using static Nomad.Agent.Hcl.Functions.Fn;

namespace Nomad.Agent.Hcl.Functions;

/// <summary>
/// The filesystem functions (go-cty-funcs): file, filebase64, fileexists and fileset read relative to the job
/// file's directory (a leading ~ is the home directory); abspath, basename, dirname and pathexpand work on the path
/// text. When the filesystem is not allowed (the HTTP API's parse), every one of them fails with Nomad's
/// "filesystem function disabled" after its arguments are checked.
/// </summary>
internal static class FileSystemFunctions
{
    private static readonly HclType S = HclType.String;
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static IEnumerable<HclFunction> All(string baseDirectory, bool allowFileSystem)
    {
        IEnumerable<StandardFunction> all =
        [
            Define("abspath", [P("path", S)], a => Value.Of(GoPath.Abs(Str(a[0])))),
            Define("basename", [P("path", S)], a => Value.Of(GoPath.Base(Str(a[0])))),
            Define("dirname", [P("path", S)], a => Value.Of(GoPath.Dir(Str(a[0])))),
            Define("pathexpand", [P("path", S)], a => Value.Of(GoPath.ExpandHome(Str(a[0])))),
            Define("file", [P("path", S)], a => File(baseDirectory, Str(a[0]))),
            Define("filebase64", [P("path", S)], a => Value.Of(Convert.ToBase64String(Read(baseDirectory, Str(a[0]))))),
            Define("fileexists", [P("path", S)], a => FileExists(baseDirectory, Str(a[0]))),
            Define("fileset", [P("path", S), P("pattern", S)], a => FileSet(baseDirectory, Str(a[0]), Str(a[1]))),
        ];
        return allowFileSystem
            ? all
            : all.Select(f => new StandardFunction(f.Name, f.Parameters, f.Variadic,
                _ => throw new FunctionError("filesystem function disabled")));
    }

    private static string Resolve(string baseDirectory, string path)
    {
        string expanded;
        try { expanded = GoPath.ExpandHome(path); }
        catch (FunctionError e) { throw new FunctionError($"failed to expand ~: {e.Message}"); }
        return GoPath.Clean(expanded.StartsWith('/') ? expanded : GoPath.Join(baseDirectory, expanded));
    }

    private static byte[] Read(string baseDirectory, string path)
    {
        var full = Resolve(baseDirectory, path);
        try { return System.IO.File.ReadAllBytes(full); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FunctionError($"no file exists at {full}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FunctionError($"failed to read {full}");
        }
    }

    private static Value File(string baseDirectory, string path)
    {
        var bytes = Read(baseDirectory, path);
        try { return Value.Of(StrictUtf8.GetString(bytes)); }
        catch (DecoderFallbackException)
        {
            throw new FunctionError($"contents of {path} are not valid UTF-8; use the filebase64 function to obtain the Base64 encoded contents or the other file functions (e.g. filemd5, filesha256) to obtain file hashing results instead");
        }
    }

    private static Value FileExists(string baseDirectory, string path)
    {
        var full = Resolve(baseDirectory, path);
        if (System.IO.File.Exists(full)) return Value.True;
        if (!Directory.Exists(full)) return Value.False;
        throw new FunctionError($"{full} is not a regular file, but \"d{UnixMode(full)}\"");
    }

    private static string UnixMode(string path)
    {
        var mode = System.IO.File.GetUnixFileMode(path);
        var sb = new StringBuilder();
        UnixFileMode[] bits =
        [
            UnixFileMode.UserRead, UnixFileMode.UserWrite, UnixFileMode.UserExecute,
            UnixFileMode.GroupRead, UnixFileMode.GroupWrite, UnixFileMode.GroupExecute,
            UnixFileMode.OtherRead, UnixFileMode.OtherWrite, UnixFileMode.OtherExecute,
        ];
        for (var i = 0; i < bits.Length; i++) sb.Append(mode.HasFlag(bits[i]) ? "rwx"[i % 3] : '-');
        return sb.ToString();
    }

    /// <summary>Regular files under path matching the pattern, as paths relative to it with forward slashes.</summary>
    private static Value FileSet(string baseDirectory, string path, string pattern)
    {
        var root = GoPath.Clean(path.StartsWith('/') ? path : GoPath.Join(baseDirectory, path));
        var full = GoPath.Join(root, pattern);
        var relativePattern = full == root ? "" : full.StartsWith(root + "/", StringComparison.Ordinal) ? full[(root.Length + 1)..] : null;
        var matches = new List<Value>();
        if (relativePattern is null || relativePattern == "" || !Directory.Exists(root)) return SetValue.Create(S, matches);
        var regex = new Regex(GoPath.GlobToRegex(relativePattern), RegexOptions.CultureInvariant);
        var recursive = relativePattern.Contains("**") || relativePattern.Contains('/');
        var files = Directory.EnumerateFiles(root, "*", new EnumerationOptions
        {
            RecurseSubdirectories = recursive, AttributesToSkip = 0, IgnoreInaccessible = true,
        });
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (regex.IsMatch(relative) && new FileInfo(file).Attributes.HasFlag(FileAttributes.Directory) == false)
                matches.Add(Value.Of(relative));
        }
        return SetValue.Create(S, matches);
    }
}
