namespace Nomad.Agent.Structs;

/// <summary>A file rendered into the task dir from a template (Nomad's "Template"); durations are nanoseconds.</summary>
public sealed record Template
{
    public string SourcePath { get; init; } = "";
    public string DestPath { get; init; } = "";
    public string EmbeddedTmpl { get; init; } = "";
    public string ChangeMode { get; init; } = "restart";
    public ChangeScript? ChangeScript { get; init; }
    public string ChangeSignal { get; init; } = "";
    public long Splay { get; init; } = 5_000_000_000;
    public string Perms { get; init; } = "0644";
    public int? Uid { get; init; }
    public int? Gid { get; init; }
    public string LeftDelim { get; init; } = "{{";
    public string RightDelim { get; init; } = "}}";
    public bool Envvars { get; init; }
    public TemplateWait? Wait { get; init; }
    public bool ErrMissingKey { get; init; }
}

public sealed record ChangeScript
{
    public string Command { get; init; } = "";
    public List<string>? Args { get; init; }
    public long Timeout { get; init; } = 5_000_000_000;
    public bool FailOnError { get; init; }
}

public sealed record TemplateWait
{
    public long? Min { get; init; }
    public long? Max { get; init; }
}
