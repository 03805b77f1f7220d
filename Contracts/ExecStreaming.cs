namespace Nomad.Contracts;

// Streaming exec (`nomad alloc exec`): the frames mirror Nomad's own (its driver gRPC ExecTaskStreaming messages
// and the /v1/client/allocation/:id/exec websocket frames), with the protocol's PascalCase names. Data is bytes:
// base64 in JSON.

/// <summary>Bytes of one stream, or its end (<paramref name="Close"/>).</summary>
public sealed record ExecStreamData(byte[]? Data = null, bool Close = false);

/// <summary>The user's terminal size, in character cells.</summary>
public sealed record ExecTtySize(int Height, int Width);

/// <summary>From the user to the command: stdin bytes, stdin's end, or a new terminal size (one of them is set).</summary>
public sealed record ExecInput(ExecStreamData? Stdin = null, ExecTtySize? TtySize = null);

/// <summary>From the command to the user: stdout or stderr bytes (one of them is set).</summary>
public sealed record ExecOutput(ExecStreamData? Stdout = null, ExecStreamData? Stderr = null);

/// <summary>
/// The user's side of a streaming exec session, as a driver sees it: read what the user sends, write what the
/// command prints.
/// </summary>
public interface IExecStream
{
    /// <summary>The user's next input; null once the session's input has ended (the user went away).</summary>
    ValueTask<ExecInput?> ReadInputAsync(CancellationToken ct = default);

    /// <summary>Sends the command's output to the user, in order.</summary>
    ValueTask WriteOutputAsync(ExecOutput output, CancellationToken ct = default);
}

/// <summary>
/// <c>ExecTaskStreaming</c>'s result on the wire: the command's exit code, and how many <c>ExecStreamOutput</c>
/// notifications the driver sent for the session before answering (the agent delivers all of them before the exit).
/// </summary>
public sealed record ExecStreamResult(int ExitCode, long OutputFrames);

/// <summary>Streaming exec for a driver that cannot stream: one <c>ExecTask</c>, no stdin, output written at the end.</summary>
public static class ExecOnce
{
    /// <summary>Runs <paramref name="command"/> with <see cref="IDriverPlugin.ExecTaskAsync"/> and writes what it printed to <paramref name="stream"/>.</summary>
    public static async Task<int> RunAsync(IDriverPlugin driver, string taskId, string[] command, IExecStream stream, CancellationToken ct = default)
    {
        var r = await driver.ExecTaskAsync(taskId, command, 0, ct).ConfigureAwait(false);
        if (r.Stdout.Length > 0) await stream.WriteOutputAsync(new ExecOutput(Stdout: new ExecStreamData(System.Text.Encoding.UTF8.GetBytes(r.Stdout))), ct).ConfigureAwait(false);
        if (r.Stderr.Length > 0) await stream.WriteOutputAsync(new ExecOutput(Stderr: new ExecStreamData(System.Text.Encoding.UTF8.GetBytes(r.Stderr))), ct).ConfigureAwait(false);
        return r.ExitCode;
    }
}
