using System.Diagnostics;
using Nomad.Contracts;

namespace Nomad.Drivers.Shared;

// Streaming exec (`nomad alloc exec`): the command runs where ExecTask runs it (exec: inside the task's namespaces,
// chroot, cgroups and user through ExecInside; raw_exec: on the host in the task's directory), a child of this
// driver process, with its stdio streamed to and from the agent.
public abstract partial class ShimDriver
{
    /// <summary>How long output still drains after the command exited (a background child may hold the pipes open).</summary>
    private static readonly TimeSpan OutputDrain = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public async Task<int> ExecTaskStreamingAsync(string taskId, string[] command, bool tty, IExecStream stream, CancellationToken ct = default)
    {
        var (t, exe, args, cwd) = ExecCommand(taskId, command);
        var env = t.Config.Env;
        return tty
            ? await PtyExec.RunAsync(exe, args, env, cwd, stream, ct, PtyRoot(t.State)).ConfigureAwait(false)
            : await PipeExecAsync(exe, args, env, cwd, stream, ct).ConfigureAwait(false);
    }

    private static async Task<int> PipeExecAsync(string exe, List<string> args, IReadOnlyDictionary<string, string> env, string cwd, IExecStream stream, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(exe)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = cwd,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Clear();
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi) ?? throw new IOException($"exec: could not start {exe}");
        using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var stdin = PumpStdinAsync(p, stream, done.Token);
        var stdout = PumpOutputAsync(p.StandardOutput.BaseStream, d => new ExecOutput(Stdout: d), stream, ct);
        var stderr = PumpOutputAsync(p.StandardError.BaseStream, d => new ExecOutput(Stderr: d), stream, ct);
        try { await p.WaitForExitAsync(ct).ConfigureAwait(false); }
        catch (OperationCanceledException)
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }
        await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(OutputDrain, ct)).ConfigureAwait(false);
        done.Cancel();
        try { await stdin.ConfigureAwait(false); } catch (OperationCanceledException) { }
        return p.ExitCode;
    }

    /// <summary>Copies the user's stdin into the command until it is closed or the session ends.</summary>
    private static async Task PumpStdinAsync(Process p, IExecStream stream, CancellationToken ct)
    {
        var sink = p.StandardInput.BaseStream;
        try
        {
            while (await stream.ReadInputAsync(ct).ConfigureAwait(false) is { } input)
            {
                if (input.Stdin is not { } s) continue; // a terminal size means nothing without a terminal
                if (s.Data is { Length: > 0 } data)
                {
                    await sink.WriteAsync(data, ct).ConfigureAwait(false);
                    await sink.FlushAsync(ct).ConfigureAwait(false);
                }
                if (s.Close) break;
            }
        }
        catch (IOException) { } // the command closed its stdin or exited
        finally
        {
            try { sink.Close(); } catch (IOException) { }
        }
    }

    private static async Task PumpOutputAsync(Stream source, Func<ExecStreamData, ExecOutput> frame, IExecStream stream, CancellationToken ct)
    {
        var buffer = new byte[32 * 1024];
        int n;
        while ((n = await source.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            await stream.WriteOutputAsync(frame(new ExecStreamData(buffer[..n])), ct).ConfigureAwait(false);
        await stream.WriteOutputAsync(frame(new ExecStreamData(Close: true)), ct).ConfigureAwait(false);
    }
}
