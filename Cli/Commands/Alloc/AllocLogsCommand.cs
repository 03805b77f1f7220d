using System.CommandLine;
using System.Text;
using System.Threading.Channels;
using Nomad.Agent.Structs;
using Nomad.Cli.Api;
using Nomad.Cli.Output;

namespace Nomad.Cli.Commands.Alloc;

/// <summary>
/// `nomad alloc logs [-stderr] [-f] [-tail] [-n N] [-c bytes] &lt;alloc&gt; [task]` (also `nomad logs`): a task's stdout
/// (or stderr) from the client, from the start or, with -tail, its last lines or bytes; -f keeps following until
/// interrupted. The task may be left out when the allocation's group has only one.
/// </summary>
public sealed class AllocLogsCommand : Command
{
    /// <summary>Nomad's defaults: 10 lines when tailing, and 120 bytes per line when turning lines into an offset.</summary>
    public const int DefaultTailLines = 10;
    public const int BytesPerLine = 120;

    /// <summary>How long the first output of a followed tail is collected before it is cut to -n lines.</summary>
    private static readonly TimeSpan TailWindow = TimeSpan.FromSeconds(1);

    private readonly ApiConnectionOptions _api = new();
    private readonly Option<bool> _stderr = NomadOption.Flag("stderr", "Display the task's stderr instead of its stdout.");
    private readonly Option<bool> _follow = NomadOption.Flag("f", "Follow the log: keep printing new output until interrupted.");
    private readonly Option<bool> _tail = NomadOption.Flag("tail", "Show the end of the log (the last 10 lines unless -n or -c).");
    private readonly Option<int> _lines = NomadOption.Integer("n", "With -tail, how many lines to show.");
    private readonly Option<int> _bytes = NomadOption.Integer("c", "With -tail, how many bytes to show.");
    private readonly Option<bool> _verbose = NomadOption.Flag("verbose", "Show full IDs when listing allocations.");
    private readonly Argument<string[]> _args;

    public AllocLogsCommand(string name) : base(name, "Streams the logs of a task")
    {
        _lines.DefaultValueFactory = _ => -1;
        _bytes.DefaultValueFactory = _ => -1;
        _api.AddTo(this);
        Add(_stderr);
        Add(_follow);
        Add(_tail);
        Add(_lines);
        Add(_bytes);
        Add(_verbose);
        _args = PositionalArguments.AddTo(this, "alloc-and-task", "An allocation ID or prefix, then optionally the task name.", 1, 2,
            "This command takes one or two arguments: <alloc-id> <task>");
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken ct)
    {
        var args = parsed.GetValue(_args)!;
        using var client = _api.CreateClient(parsed);
        var stub = await Lookups.AllocAsync(parsed, client, args[0], parsed.GetValue(_verbose), "Alloc ID must contain at least two characters.", ct);
        if (stub is null) return 1;

        Allocation alloc;
        try
        {
            alloc = (await client.GetAllocationAsync(stub.ID, ct)).Value;
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Error querying allocation: {e.Message}");
            return 1;
        }

        string task;
        if (args.Length == 2)
        {
            task = args[1];
            if (task.Length == 0)
            {
                parsed.Err().WriteLine("Task name required");
                return 1;
            }
        }
        else
        {
            var (found, error) = LookupTask(alloc);
            if (found is null)
            {
                parsed.Err().WriteLine($"Failed to validate task: {error}");
                return 1;
            }
            task = found;
        }

        var type = parsed.GetValue(_stderr) ? "stderr" : "stdout";
        var follow = parsed.GetValue(_follow);
        long numLines = parsed.GetValue(_lines), numBytes = parsed.GetValue(_bytes);
        string origin = "start";
        long offset = 0;
        if (parsed.GetValue(_tail))
        {
            if (numLines != -1 && numBytes != -1)
            {
                parsed.Err().WriteLine($"Failed to read {type} file: both -n and -c set");
                return 1;
            }
            origin = "end";
            if (numLines != -1) offset = numLines * BytesPerLine;
            else if (numBytes != -1) offset = numBytes;
            else
            {
                numLines = DefaultTailLines;
                offset = numLines * BytesPerLine;
            }
        }
        else
        {
            numLines = -1;
        }

        try
        {
            using var response = await client.OpenLogsAsync(alloc.ID, task, type, origin, offset, follow, ct);
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            await CopyAsync(stream, parsed.Out(), numLines, ct);
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Failed to read {type} file: {(parsed.GetValue(_tail) ? "error tailing file" : "error reading file")}: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            parsed.Err().WriteLine($"Failed to read {type} file: error following logs: {e.Message}");
            return 1;
        }
        return 0;
    }

    /// <summary>Nomad's lookupAllocTask: the group's only task, or an error listing the tasks to choose from.</summary>
    public static (string? Task, string Error) LookupTask(Allocation alloc)
    {
        var group = alloc.Job?.TaskGroups.FirstOrDefault(g => g.Name == alloc.TaskGroup);
        if (group is null) return (null, $"Could not find allocation task group: {alloc.TaskGroup}");
        if (group.Tasks.Count == 1) return (group.Tasks[0].Name, "");
        var text = new StringBuilder($"Allocation {GoText.Quote(Ids.Short(alloc.ID))} is running the following tasks:\n");
        foreach (var t in group.Tasks) text.Append("  * ").Append(t.Name).Append('\n');
        text.Append("\nPlease specify the task.");
        return (null, text.ToString());
    }

    /// <summary>
    /// Copies the log to <paramref name="output"/>. With <paramref name="lastLines"/> ≥ 0, what arrives in the first
    /// second (all of it, when not following) is cut to its last lines first, as Nomad's LineLimitReader does.
    /// </summary>
    public static async Task CopyAsync(Stream stream, TextWriter output, long lastLines, CancellationToken ct)
    {
        var decoder = new UTF8Encoding(false).GetDecoder();
        void Write(byte[] bytes, int count)
        {
            var chars = new char[decoder.GetCharCount(bytes, 0, count)];
            decoder.GetChars(bytes, 0, count, chars, 0);
            output.Write(chars);
            output.Flush();
        }

        var chunks = Channel.CreateUnbounded<byte[]>();
        var pump = Task.Run(async () =>
        {
            try
            {
                var buffer = new byte[64 * 1024];
                int n;
                while ((n = await stream.ReadAsync(buffer, ct)) > 0) await chunks.Writer.WriteAsync(buffer[..n], ct);
                chunks.Writer.Complete();
            }
            catch (Exception e)
            {
                chunks.Writer.Complete(e);
            }
        }, ct);

        if (lastLines >= 0)
        {
            var head = new MemoryStream();
            using var window = CancellationTokenSource.CreateLinkedTokenSource(ct);
            window.CancelAfter(TailWindow);
            try
            {
                while (await chunks.Reader.WaitToReadAsync(window.Token))
                    while (chunks.Reader.TryRead(out var chunk)) head.Write(chunk);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // The first second is over: what came so far is the tail to cut.
            }
            var bytes = LastLines(head.ToArray(), lastLines);
            Write(bytes, bytes.Length);
        }

        await foreach (var chunk in chunks.Reader.ReadAllAsync(ct)) Write(chunk, chunk.Length);
        await pump;
    }

    /// <summary>The last <paramref name="lines"/> lines of the text (a final newline does not start another line).</summary>
    public static byte[] LastLines(byte[] text, long lines)
    {
        if (lines <= 0) return [];
        var end = text.Length;
        var search = end > 0 && text[end - 1] == (byte)'\n' ? end - 2 : end - 1;
        var found = 0L;
        for (var i = search; i >= 0; i--)
        {
            if (text[i] != (byte)'\n') continue;
            if (++found == lines) return text[(i + 1)..];
        }
        return text;
    }
}
