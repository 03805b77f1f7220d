using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nomad.Agent.Structs;

// The JSON frames of Nomad's /v1/client/allocation/:id/exec websocket (api/allocations_exec.go), with its
// lower-case names and omitempty fields: the client sends ExecStreamingInput, the server ExecStreamingOutput.
// An empty input frame ({}) is the client's heartbeat.

/// <summary>Bytes of one stream (base64 in JSON), or its end.</summary>
public sealed record ExecStreamingIOOperation
{
    [JsonPropertyName("data"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public byte[]? Data { get; init; }
    [JsonPropertyName("close"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public bool Close { get; init; }
}

/// <summary>The user's terminal size.</summary>
public sealed record TerminalSize
{
    [JsonPropertyName("height"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int Height { get; init; }
    [JsonPropertyName("width"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int Width { get; init; }
}

/// <summary>Client → server: stdin data or close, or a terminal size; empty = heartbeat.</summary>
public sealed record ExecStreamingInput
{
    [JsonPropertyName("stdin"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ExecStreamingIOOperation? Stdin { get; init; }
    [JsonPropertyName("tty_size"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public TerminalSize? TtySize { get; init; }
}

/// <summary>The command's exit code.</summary>
public sealed record ExecStreamingExitResult
{
    [JsonPropertyName("exit_code")] public int ExitCode { get; init; }
}

/// <summary>Server → client: stdout or stderr data (or close), or the exit with its result.</summary>
public sealed record ExecStreamingOutput
{
    [JsonPropertyName("stdout"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ExecStreamingIOOperation? Stdout { get; init; }
    [JsonPropertyName("stderr"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ExecStreamingIOOperation? Stderr { get; init; }
    [JsonPropertyName("exited"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public bool Exited { get; init; }
    [JsonPropertyName("result"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ExecStreamingExitResult? Result { get; init; }
}

/// <summary>Reading and writing the frames; a frame that is not valid JSON of its shape reads as null.</summary>
public static class ExecStreamingJson
{
    private static readonly JsonSerializerOptions Options = new();

    public static byte[] Encode<T>(T frame) => JsonSerializer.SerializeToUtf8Bytes(frame, Options);

    public static T? Decode<T>(ReadOnlySpan<byte> json) where T : class
    {
        try { return JsonSerializer.Deserialize<T>(json, Options); }
        catch (JsonException) { return null; }
    }

    /// <summary>Nomad's websocket close code for an HTTP status: 1011 for 500, else 4000 + the status.</summary>
    public static int CloseCodeFor(int httpStatus) => httpStatus == 500 ? 1011 : 4000 + httpStatus;
}
