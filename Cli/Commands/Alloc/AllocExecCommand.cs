using System.CommandLine;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Nomad.Agent.Structs;
using Nomad.Cli.Api;

namespace Nomad.Cli.Commands.Alloc;

/// <summary>
/// `nomad alloc exec [-task T] [-i] [-t] &lt;alloc&gt; &lt;command&gt; [args...]`: runs a command inside a running task
/// (for exec: its namespaces, chroot, cgroups and user) over Nomad's exec websocket, copying stdin to it and its
/// stdout/stderr back; the exit code is the command's. Everything after the allocation ID belongs to the command.
/// </summary>
public sealed class AllocExecCommand : Command
{
    private readonly ApiConnectionOptions _api = new();
    private readonly Option<string> _task = NomadOption.Value<string>("task", "The task to run the command in (required when the group has several).");
    private readonly Option<bool> _stdin = NomadOption.Flag("i", "Pass stdin to the command (default true; -i=false to disable).");
    private readonly Option<bool> _tty = NomadOption.Flag("t", "Allocate a pseudo-tty (default: when stdin and stdout are terminals).");
    private readonly Option<string> _escape = NomadOption.Value<string>("e", "Accepted for compatibility: the escape character of a tty session.");
    private readonly Option<bool> _job = NomadOption.Flag("job", "Use a random allocation of the given job ID (not supported yet).");
    private readonly Argument<string[]> _args;

    /// <summary>Options of this command that take a value as the next token.</summary>
    private static readonly HashSet<string> ValueOptions = ["-task", "--task", "-address", "--address", "-region", "--region", "-e", "--e"];

    public AllocExecCommand(string name) : base(name, "Execute commands in task")
    {
        _stdin.DefaultValueFactory = _ => true;
        _tty.DefaultValueFactory = _ => !Console.IsInputRedirected && !Console.IsOutputRedirected;
        _api.AddTo(this);
        Add(_task);
        Add(_stdin);
        Add(_tty);
        Add(_escape);
        Add(_job);
        _args = new Argument<string[]>("alloc-and-command") { Description = "An allocation ID or prefix, then the command and its arguments.", Arity = ArgumentArity.ZeroOrMore };
        Add(_args);
        SetAction(RunAsync);
    }

    /// <summary>
    /// Go's flag parsing stops at the first argument: `alloc exec ID sh -c 'exit 3'` gives `-c` to sh. The parser
    /// here would take it as an option, so a <c>--</c> goes in after the allocation ID.
    /// </summary>
    public static IReadOnlyList<string> StopOptionsAtCommand(IReadOnlyList<string> args)
    {
        if (args.Count < 3 || args[0] != "alloc" || args[1] != "exec") return args;
        for (int i = 2; i < args.Count; i++)
        {
            var a = args[i];
            if (a == "--") return args;
            if (a.StartsWith('-') && a.Length > 1)
            {
                if (ValueOptions.Contains(a)) i++;
                continue;
            }
            if (i + 1 >= args.Count || args[i + 1] == "--") return args;
            return [.. args.Take(i + 1), "--", .. args.Skip(i + 1)];
        }
        return args;
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken ct)
    {
        var args = parsed.GetValue(_args) ?? [];
        if (parsed.GetValue(_job))
        {
            parsed.Err().WriteLine("-job is not supported yet: give an allocation ID");
            return 1;
        }
        if (args.Length < 1)
        {
            parsed.Err().WriteLine("An allocation ID is required");
            return 1;
        }
        if (args[0].Length == 1)
        {
            parsed.Err().WriteLine("Alloc ID must contain at least two characters");
            return 1;
        }
        if (args.Length < 2)
        {
            parsed.Err().WriteLine("A command is required");
            return 1;
        }
        bool useStdin = parsed.GetValue(_stdin), tty = parsed.GetValue(_tty);
        if (tty && !useStdin)
        {
            parsed.Err().WriteLine("-i must be enabled if running with tty");
            return 1;
        }
        if (parsed.GetValue(_escape) is { Length: > 1 } e && e != "none")
        {
            parsed.Err().WriteLine("-e requires 'none' or a single character");
            return 1;
        }

        using var client = _api.CreateClient(parsed);
        var stub = await Lookups.AllocAsync(parsed, client, args[0], false, "Alloc ID must contain at least two characters", ct);
        if (stub is null) return 1;
        Allocation alloc;
        try
        {
            alloc = (await client.GetAllocationAsync(stub.ID, ct)).Value;
        }
        catch (NomadApiException ex)
        {
            parsed.Err().WriteLine($"Error querying allocation: {ex.Message}");
            return 1;
        }

        var task = parsed.GetValue(_task) ?? "";
        if (task.Length > 0)
        {
            var group = alloc.Job?.TaskGroups.FirstOrDefault(g => g.Name == alloc.TaskGroup);
            if (group is null || group.Tasks.All(t => t.Name != task))
            {
                parsed.Err().WriteLine($"Could not find task named: {task}, found:\n{string.Join('\n', group?.Tasks.Select(t => "* " + t.Name) ?? [])}");
                return 1;
            }
        }
        else
        {
            var (found, error) = AllocLogsCommand.LookupTask(alloc);
            if (found is null)
            {
                parsed.Err().WriteLine(error);
                return 1;
            }
            task = found;
        }

        try
        {
            return await ExecAsync(parsed, client, alloc.ID, task, args[1..], tty, useStdin, ct);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ExecFailedException or HttpRequestException)
        {
            parsed.Err().WriteLine($"failed to exec into task: {ex.Message}");
            return 1;
        }
    }

    private sealed class ExecFailedException(string message) : Exception(message);

    private async Task<int> ExecAsync(ParseResult parsed, NomadApiClient client, string allocId, string task, string[] command, bool tty, bool useStdin, CancellationToken ct)
    {
        var address = client.Address.ToString().TrimEnd('/');
        var ws = address.StartsWith("https", StringComparison.OrdinalIgnoreCase) ? "wss" + address[5..] : "ws" + address[4..];
        var query = $"task={Uri.EscapeDataString(task)}&command={Uri.EscapeDataString(JsonSerializer.Serialize(command))}&tty={(tty ? "true" : "false")}";
        if (client.Region is { Length: > 0 } region) query += $"&region={Uri.EscapeDataString(region)}";
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"{ws}/v1/client/allocation/{Nomad.Agent.Http.UrlPath.Escape(allocId)}/exec?{query}"), ct);

        using var session = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var send = new SemaphoreSlim(1, 1);
        async Task Send(ExecStreamingInput frame)
        {
            await send.WaitAsync(session.Token);
            try { await socket.SendAsync(ExecStreamingJson.Encode(frame), WebSocketMessageType.Text, true, session.Token); }
            finally { send.Release(); }
        }

        using var terminal = tty ? RawTerminal.Enter() : null;
        using var resize = tty ? PosixSignalRegistration.Create(PosixSignal.SIGWINCH, signal => { _ = SendSize(); }) : null;
        if (tty) _ = SendSize();
        async Task SendSize()
        {
            try { await Send(new ExecStreamingInput { TtySize = new TerminalSize { Height = Console.WindowHeight, Width = Console.WindowWidth } }); }
            catch (Exception) { } // the session is over
        }

        var stdinPump = Task.Run(async () =>
        {
            try
            {
                if (useStdin)
                {
                    await using var stdin = Console.OpenStandardInput();
                    var buffer = new byte[2048];
                    int n;
                    while ((n = await stdin.ReadAsync(buffer, session.Token)) > 0)
                        await Send(new ExecStreamingInput { Stdin = new ExecStreamingIOOperation { Data = buffer[..n] } });
                }
                await Send(new ExecStreamingInput { Stdin = new ExecStreamingIOOperation { Close = true } });
            }
            catch (Exception) { } // the session ended first
        }, session.Token);

        var stdout = new Sink(parsed.Out(), Console.Out);
        var stderr = new Sink(parsed.Err(), Console.Error);
        try
        {
            var buffer = new byte[64 * 1024];
            using var message = new MemoryStream();
            while (true)
            {
                var r = await socket.ReceiveAsync(buffer, ct);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    var reason = socket.CloseStatusDescription is { Length: > 0 } d ? d : $"websocket closed before receiving exit code: {socket.CloseStatus}";
                    throw new ExecFailedException(reason);
                }
                message.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage) continue;
                var frame = ExecStreamingJson.Decode<ExecStreamingOutput>(message.ToArray());
                message.SetLength(0);
                if (frame is null) continue;
                if (frame.Stdout?.Data is { } o) stdout.Write(o);
                else if (frame.Stderr?.Data is { } e) stderr.Write(e);
                else if (frame is { Exited: true, Result: { } result })
                {
                    try { await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None); } catch (WebSocketException) { }
                    return result.ExitCode;
                }
            }
        }
        finally
        {
            session.Cancel();
        }
    }

    /// <summary>Writes the command's bytes: straight to the process's stream when the writer is the console, else decoded.</summary>
    private sealed class Sink(TextWriter writer, TextWriter console)
    {
        private readonly Stream? _raw = ReferenceEquals(writer, console) ? OpenStandard(console) : null;
        private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();

        private static Stream OpenStandard(TextWriter console) =>
            ReferenceEquals(console, Console.Error) ? Console.OpenStandardError() : Console.OpenStandardOutput();

        public void Write(byte[] data)
        {
            if (_raw is not null)
            {
                _raw.Write(data);
                _raw.Flush();
                return;
            }
            var chars = new char[_decoder.GetCharCount(data, 0, data.Length)];
            _decoder.GetChars(data, 0, data.Length, chars, 0);
            writer.Write(chars);
            writer.Flush();
        }
    }

    /// <summary>The local terminal in raw mode (no echo, no line editing, keys such as ^C passed through) until disposed.</summary>
    private sealed class RawTerminal : IDisposable
    {
        private readonly string _saved;
        private RawTerminal(string saved) => _saved = saved;

        public static RawTerminal? Enter()
        {
            var saved = Stty("-g").Trim();
            if (saved.Length == 0) return null;
            Stty("raw", "-echo");
            return new RawTerminal(saved);
        }

        public void Dispose() => Stty(_saved);

        // stty works on its stdin: the terminal is inherited, only stdout is captured.
        private static string Stty(params string[] args)
        {
            var psi = new ProcessStartInfo("stty") { UseShellExecute = false, RedirectStandardOutput = true };
            foreach (var a in args) psi.ArgumentList.Add(a);
            try
            {
                using var p = Process.Start(psi);
                if (p is null) return "";
                var output = p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                return p.ExitCode == 0 ? output : "";
            }
            catch (System.ComponentModel.Win32Exception) { return ""; }
        }
    }
}
