using System.Runtime.InteropServices;
using System.Text;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Templates;

/// <summary>
/// The client's template hook (Nomad's template prestart hook): renders each of a task's <c>template</c> blocks into
/// its task directory before the task starts, as consul-template would (template name "", missingkey=zero unless
/// error_on_missing_key, the task's env for <c>env</c>, <c>file</c> confined to the task dir), applies perms/uid/gid,
/// and returns the variables of <c>env = true</c> templates for the task's environment.
/// Re-rendering when what a template reads changes waits for Variables and services, which this agent lacks.
/// </summary>
public static class TaskTemplateHook
{
    /// <summary>The env vars from env templates, or the failure worded as Nomad's ("Template failed: ...").</summary>
    public sealed record Outcome(IReadOnlyDictionary<string, string> Env, string? Error);

    /// <param name="interpolate">Expands <c>${NOMAD_...}</c> in destination and source paths.</param>
    public static Outcome Render(IReadOnlyList<Template>? templates, string taskDir, IReadOnlyDictionary<string, string> env,
        Func<string, string> interpolate, Func<DateTimeOffset>? clock = null)
    {
        var extra = new Dictionary<string, string>();
        if (templates is not { Count: > 0 }) return new(extra, null);
        var root = Path.GetFullPath(taskDir);
        // Like Nomad, a destination may be anywhere in the allocation (e.g. ../alloc/x, shared by the group's tasks).
        var allocRoot = Path.GetDirectoryName(root)!;
        var functions = ConsulTemplateFunctions.For(new TemplateContext(env, root, clock));
        foreach (var tmpl in templates)
        {
            var source = "(dynamic)";
            try
            {
                var text = tmpl.EmbeddedTmpl;
                if (tmpl.SourcePath.Length > 0)
                {
                    var src = Resolve(root, root, interpolate(tmpl.SourcePath));
                    if (src is null) return Failed("template source path escapes the task directory");
                    source = src;
                    if (!File.Exists(src)) return Failed($"failed to read template: open {src}: no such file or directory");
                    text = File.ReadAllText(src);
                }
                var dest = Resolve(root, allocRoot, interpolate(tmpl.DestPath));
                if (dest is null) return Failed("template destination path escapes the allocation directory");

                GoTemplate parsed;
                try
                {
                    parsed = GoTemplate.Parse("", text, new TemplateOptions
                    {
                        LeftDelim = tmpl.LeftDelim,
                        RightDelim = tmpl.RightDelim,
                        MissingKey = tmpl.ErrMissingKey ? MissingKeyMode.Error : MissingKeyMode.Zero,
                        Functions = functions,
                    });
                }
                catch (TemplateException e) { return Failed($"{source}: parse: {e.Message}"); }

                string output;
                try { output = parsed.Execute(null); }
                catch (TemplateException e) { return Failed($"{source}: execute: {e.Message}"); }

                Write(dest, output, tmpl);
                if (tmpl.Envvars)
                {
                    var (vars, error) = ParseEnvFile(output);
                    if (error is not null) return Failed($"failed to read environment variables from {tmpl.DestPath}: {error}");
                    foreach (var (k, v) in vars) extra[k] = v;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                return Failed($"{source}: {e.Message}");
            }
        }
        return new(extra, null);

        Outcome Failed(string message) => new(extra, "Template failed: " + message);
    }

    /// <summary>
    /// Where a template path lands: relative to the task dir; an absolute path inside the allocation is kept, and the
    /// paths an isolated task sees (/alloc, /local, /secrets) map to their host directories. Null when the result
    /// leaves <paramref name="bound"/>.
    /// </summary>
    private static string? Resolve(string taskDir, string bound, string path)
    {
        string full;
        if (Path.IsPathRooted(path) && IsInside(bound, Path.GetFullPath(path))) full = Path.GetFullPath(path);
        else if (path == "/alloc" || path.StartsWith("/alloc/", StringComparison.Ordinal))
            full = Path.GetFullPath(Path.Join(Path.GetDirectoryName(taskDir)!, path));
        else full = Path.GetFullPath(Path.Join(taskDir, path));
        return IsInside(bound, full) ? full : null;
    }

    private static bool IsInside(string root, string path) =>
        path == root || path.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal);

    /// <summary>Writes atomically (temp file, then rename) with the template's perms and owner.</summary>
    private static void Write(string dest, string content, Template tmpl)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
        var temp = Path.Combine(Path.GetDirectoryName(dest)!, $".{Path.GetFileName(dest)}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temp, content, new UTF8Encoding(false));
        if (!OperatingSystem.IsWindows())
        {
            var mode = tmpl.Perms.Length > 0 ? Convert.ToInt32(tmpl.Perms, 8) : Convert.ToInt32("644", 8);
            File.SetUnixFileMode(temp, (UnixFileMode)mode);
            if ((tmpl.Uid is { } || tmpl.Gid is { }) && chown(temp, tmpl.Uid ?? -1, tmpl.Gid ?? -1) != 0)
            {
                File.Delete(temp);
                throw new IOException($"failed to set owner of {tmpl.DestPath}: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        File.Move(temp, dest, overwrite: true);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int chown(string path, int uid, int gid);

    /// <summary>
    /// An env template's output as variables: <c>KEY=VALUE</c> lines, blank lines and <c>#</c> comments skipped,
    /// an optional <c>export </c>, values optionally in double quotes (with escapes) or single quotes (literal).
    /// </summary>
    public static (Dictionary<string, string> Vars, string? Error) ParseEnvFile(string text)
    {
        var vars = new Dictionary<string, string>();
        var lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith("export ", StringComparison.Ordinal)) line = line[7..].TrimStart();
            var eq = line.IndexOf('=');
            if (eq <= 0) return (vars, $"line {lineNo}: missing =");
            var key = line[..eq].Trim();
            if (!key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-') || char.IsAsciiDigit(key[0]))
                return (vars, $"line {lineNo}: invalid variable name {GoFmt.Quote(key)}");
            var value = line[(eq + 1)..].Trim();
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
                value = GoStrings.Unquote(value, '"') ?? value[1..^1];
            else if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
                value = value[1..^1];
            vars[key] = value;
        }
        return (vars, null);
    }
}
