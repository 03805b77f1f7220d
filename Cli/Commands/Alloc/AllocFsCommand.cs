using System.CommandLine;
using System.IO.Pipelines;
using System.Text.Json;
using Nomad.Agent.Client.Allocs;
using Nomad.Cli.Api;
using Nomad.Cli.Output;

namespace Nomad.Cli.Commands.Alloc;

/// <summary>
/// `nomad alloc fs [-H] [-verbose] [-job] [-stat] [-f] [-tail] [-n N] [-c bytes] &lt;alloc&gt; [path]` (also `nomad fs`):
/// lists a directory of the allocation, prints a file (from its end with -tail, following it with -f through the
/// stream API's frames), or with -stat describes the path. The path is relative to the allocation dir, "/" by default.
/// </summary>
public sealed class AllocFsCommand : Command
{
    private readonly ApiConnectionOptions _api = new();
    private readonly Option<bool> _machine = NomadOption.Flag("H", "Machine friendly output: sizes in bytes.");
    private readonly Option<bool> _verbose = NomadOption.Flag("verbose", "Show full information.");
    private readonly Option<bool> _job = NomadOption.Flag("job", "Use a random allocation of the given job ID, a running one if any.");
    private readonly Option<bool> _stat = NomadOption.Flag("stat", "Show the path's stat information instead of its contents.");
    private readonly Option<bool> _follow = NomadOption.Flag("f", "Keep waiting for new output at the end of the file.");
    private readonly Option<bool> _tail = NomadOption.Flag("tail", "Show the file from its end (the last 10 lines unless -n or -c).");
    private readonly Option<int> _lines = NomadOption.Integer("n", "With -tail, about how many lines from the end.");
    private readonly Option<int> _bytes = NomadOption.Integer("c", "With -tail, how many bytes from the end.");
    private readonly Argument<string[]> _args;

    public AllocFsCommand(string name) : base(name, "Inspect the contents of an allocation directory")
    {
        _lines.DefaultValueFactory = _ => -1;
        _bytes.DefaultValueFactory = _ => -1;
        _api.AddTo(this);
        foreach (var o in new Option[] { _machine, _verbose, _job, _stat, _follow, _tail, _lines, _bytes }) Add(o);
        _args = PositionalArguments.AddTo(this, "alloc-and-path", "An allocation ID or prefix (a job ID with -job), then optionally a path.", 1, 2,
            "This command takes one or two arguments: <allocation> [<path>]");
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken ct)
    {
        var args = parsed.GetValue(_args)!;
        var path = args.Length == 2 ? args[1] : "/";
        var machine = parsed.GetValue(_machine);
        using var client = _api.CreateClient(parsed);

        string allocPrefix = args[0];
        if (parsed.GetValue(_job))
        {
            try
            {
                var allocs = (await client.GetJobAllocationsAsync(args[0], ct: ct)).Value;
                if (allocs.Count == 0)
                {
                    parsed.Err().WriteLine($"Error fetching allocations: job {GoText.Quote(args[0])} doesn't exist or it has no allocations");
                    return 1;
                }
                var running = allocs.Where(a => a.ClientStatus == "running").ToList();
                var pool = running.Count > 0 ? running : allocs;
                allocPrefix = pool[Random.Shared.Next(pool.Count)].ID;
            }
            catch (NomadApiException e)
            {
                parsed.Err().WriteLine($"Error fetching allocations: error querying job {GoText.Quote(args[0])}: {e.Message}");
                return 1;
            }
        }
        var stub = await Lookups.AllocAsync(parsed, client, allocPrefix, parsed.GetValue(_verbose), "Alloc ID must contain at least two characters.", ct);
        if (stub is null) return 1;

        AllocFileInfo file;
        try { file = (await client.StatAllocFileAsync(stub.ID, path, ct)).Value; }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine(e.Message);
            return 1;
        }
        string Size(long bytes) => machine ? bytes.ToString(System.Globalization.CultureInfo.InvariantCulture) : ByteSize.Iec(bytes);
        string Name(AllocFileInfo f) => f.IsDir ? f.Name + "/" : f.Name;
        string Time(AllocFileInfo f) => Timestamps.Format(f.ModTime, TimeZoneInfo.Local);

        if (parsed.GetValue(_stat))
        {
            parsed.Out().WriteLine(Columns.Table([["Mode", "Size", "Modified Time", "Content Type", "Name"],
                [file.FileMode, Size(file.Size), Time(file), file.ContentType, Name(file)]]));
            return 0;
        }
        if (file.IsDir)
        {
            List<AllocFileInfo> files;
            try { files = (await client.ListAllocFilesAsync(stub.ID, path, ct)).Value; }
            catch (NomadApiException e)
            {
                parsed.Err().WriteLine($"Error listing alloc dir: {e.Message}");
                return 1;
            }
            parsed.Out().WriteLine(Columns.Table([["Mode", "Size", "Modified Time", "Name"],
                .. files.Select(f => (IReadOnlyList<string>)[f.FileMode, Size(f.Size), Time(f), Name(f)])]));
            return 0;
        }

        var follow = parsed.GetValue(_follow);
        long numLines = parsed.GetValue(_lines), numBytes = parsed.GetValue(_bytes);
        var tail = parsed.GetValue(_tail);
        long offset = 0;
        if (tail)
        {
            if (numLines != -1 && numBytes != -1)
            {
                parsed.Err().WriteLine("Both -n and -c are not allowed");
                return 1;
            }
            if (numLines < -1 || numBytes < -1)
            {
                parsed.Err().WriteLine("Invalid size is specified");
                return 1;
            }
            if (numLines != -1) offset = numLines * AllocLogsCommand.BytesPerLine;
            else if (numBytes != -1) offset = numBytes;
            else
            {
                numLines = AllocLogsCommand.DefaultTailLines;
                offset = numLines * AllocLogsCommand.BytesPerLine;
            }
            offset = Math.Min(offset, file.Size);
        }
        else numLines = -1;

        try
        {
            if (follow)
            {
                using var response = await client.StreamAllocFileAsync(stub.ID, path, tail ? "end" : "start", offset, ct);
                await using var framed = await response.Content.ReadAsStreamAsync(ct);
                var pipe = new Pipe();
                var decode = DecodeFramesAsync(framed, pipe.Writer, ct);
                await AllocLogsCommand.CopyAsync(pipe.Reader.AsStream(), parsed.Out(), numLines, ct);
                await decode;
            }
            else
            {
                using var response = await client.OpenAllocFileAsync(stub.ID, path, tail ? file.Size - offset : 0, ct);
                await using var stream = await response.Content.ReadAsStreamAsync(ct);
                await AllocLogsCommand.CopyAsync(stream, parsed.Out(), numLines, ct);
            }
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"{(tail ? "Error tailing file" : "Error reading file")}: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or HttpRequestException or JsonException)
        {
            parsed.Err().WriteLine($"error tailing file: {e.Message}");
            return 1;
        }
        return 0;
    }

    /// <summary>
    /// The stream API's frames (one JSON object a line: Data in base64, or a FileEvent, or {} as a heartbeat) as the
    /// file's bytes. A "file deleted" event ends the output, as the end of the response does.
    /// </summary>
    public static async Task DecodeFramesAsync(Stream framed, PipeWriter output, CancellationToken ct)
    {
        try
        {
            using var reader = new StreamReader(framed);
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                if (line.Length == 0) continue;
                using var frame = JsonDocument.Parse(line);
                if (frame.RootElement.TryGetProperty("Data", out var data) && data.GetString() is { Length: > 0 } b64)
                {
                    await output.WriteAsync(Convert.FromBase64String(b64), ct);
                }
                if (frame.RootElement.TryGetProperty("FileEvent", out var ev) && ev.GetString() == "file deleted") break;
            }
            await output.CompleteAsync();
        }
        catch (Exception e)
        {
            await output.CompleteAsync(e);
        }
    }
}
