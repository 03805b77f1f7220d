namespace Nomad.Agent.Config;

/// <summary>Where a configuration value came from: a file and, when known, a 1-based line and column.</summary>
public readonly record struct ConfigPosition(string File, int Line = 0, int Column = 0)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}
