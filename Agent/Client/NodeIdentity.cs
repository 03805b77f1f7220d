namespace Nomad.Agent.Client;

/// <summary>
/// The node's ID and secret. Persisted in the client's state directory (files `client-id`, `secret-id`)
/// so a restarted agent is the same node; in -dev they are fresh each time.
/// </summary>
public sealed record NodeIdentity(string NodeId, string SecretId)
{
    public static NodeIdentity Fresh() => new(Guid.NewGuid().ToString(), Guid.NewGuid().ToString());

    public static NodeIdentity LoadOrCreate(string? stateDir)
    {
        if (stateDir is null) return Fresh();
        Directory.CreateDirectory(stateDir);
        var id = LoadOrCreateId(Path.Combine(stateDir, "client-id"));
        var secret = LoadOrCreateId(Path.Combine(stateDir, "secret-id"));
        return new NodeIdentity(id, secret);
    }

    /// <summary>A UUID kept in <paramref name="path"/>: read if it is there, made and written atomically if not.</summary>
    public static string LoadOrCreateId(string path)
    {
        if (File.Exists(path))
        {
            var text = File.ReadAllText(path).Trim();
            if (Guid.TryParse(text, out _)) return text;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var value = Guid.NewGuid().ToString();
        // Write-then-rename so a crash never leaves a half-written ID behind.
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, value);
        File.Move(tmp, path, overwrite: true);
        return value;
    }
}
