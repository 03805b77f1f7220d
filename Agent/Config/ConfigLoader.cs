using Nomad.Agent.Hcl;

namespace Nomad.Agent.Config;

/// <summary>
/// Loads agent configuration the way <c>nomad agent -config</c> does: each path is a file or a directory
/// (its *.hcl and *.json files in lexical order, not recursing); later files are merged over earlier ones.
/// A file is JSON if it ends in .json or its first non-blank character is <c>{</c> (tools write JSON configs
/// without the extension, and no HCL body starts with a brace); HCL otherwise. Every error is a one-line
/// <see cref="ConfigException"/>.
/// </summary>
public static class ConfigLoader
{
    public static AgentConfig Load(IReadOnlyList<string> paths)
    {
        var config = new AgentConfig();
        foreach (var path in paths)
            foreach (var file in FilesIn(path))
                config = config.Merge(LoadFile(file));
        return config;
    }

    /// <summary>The files a -config path names, in load order.</summary>
    public static IReadOnlyList<string> FilesIn(string path)
    {
        if (File.Exists(path)) return [path];
        if (!Directory.Exists(path)) throw new ConfigException($"{path}: no such file or directory");
        try
        {
            return Directory.GetFiles(path)
                .Where(f => IsConfigFileName(Path.GetFileName(f)))
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{path}: {OneLine(e.Message)}");
        }
    }

    // Editors leave ".#name.hcl" lock files behind; Nomad skips them too.
    private static bool IsConfigFileName(string name) =>
        (name.EndsWith(".hcl", StringComparison.Ordinal) || name.EndsWith(".json", StringComparison.Ordinal))
        && !name.StartsWith(".#", StringComparison.Ordinal);

    public static AgentConfig LoadFile(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{path}: {OneLine(e.Message)}");
        }
        var config = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || LooksLikeJson(bytes)
            ? ParseJson(bytes, path)
            : ParseHcl(System.Text.Encoding.UTF8.GetString(bytes), path);
        return config with { Files = [path] };
    }

    /// <summary>True when the first character after a UTF-8 BOM and white space is an opening brace.</summary>
    internal static bool LooksLikeJson(ReadOnlySpan<byte> utf8)
    {
        if (utf8.StartsWith(System.Text.Encoding.UTF8.Preamble)) utf8 = utf8[System.Text.Encoding.UTF8.Preamble.Length..];
        utf8 = utf8.TrimStart(" \t\r\n"u8);
        return !utf8.IsEmpty && utf8[0] == (byte)'{';
    }

    /// <summary>Decodes HCL agent configuration; <paramref name="fileName"/> names it in errors.</summary>
    public static AgentConfig ParseHcl(string text, string fileName)
    {
        HclBody body;
        try
        {
            body = HclParser.Parse(text, fileName);
        }
        catch (HclException e)
        {
            throw new ConfigException(e.Message); // already "file:line:col: problem"
        }
        return AgentConfigDecoder.Decode(HclConfigReader.Read(body));
    }

    /// <summary>Decodes JSON agent configuration (UTF-8); <paramref name="fileName"/> names it in errors.</summary>
    public static AgentConfig ParseJson(byte[] utf8, string fileName) =>
        AgentConfigDecoder.Decode(JsonConfigReader.Read(utf8, fileName));

    public static AgentConfig ParseJson(string text, string fileName) =>
        ParseJson(System.Text.Encoding.UTF8.GetBytes(text), fileName);

    private static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim();
}
