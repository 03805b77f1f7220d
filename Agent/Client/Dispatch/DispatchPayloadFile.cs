using Nomad.Agent.Structs;

namespace Nomad.Agent.Client.Dispatch;

/// <summary>
/// The client's side of <c>dispatch_payload { file }</c> (Nomad's dispatch hook): before a dispatched job's task first
/// starts, its payload, read from the allocation's job and decompressed, is written to <c>local/FILE</c>.
/// </summary>
public static class DispatchPayloadFile
{
    /// <summary>The hook's name in task events, as Nomad's.</summary>
    public const string HookName = "dispatch_payload";

    /// <summary>Writes the payload when the job has one and the task asks for it.</summary>
    /// <returns>why it could not be written, or null (also when there was nothing to write).</returns>
    public static string? Write(Job? job, JobTask task, string localDir)
    {
        if (job?.Payload is not { } stored || task.DispatchPayload is not { File.Length: > 0 } config) return null;
        var local = Path.TrimEndingDirectorySeparator(Path.GetFullPath(localDir)) + Path.DirectorySeparatorChar;
        // Joined as Go joins (a leading "/" stays inside local/); the servers refuse escapes, this checks again.
        var target = Path.GetFullPath(Path.Join(local, config.File));
        if (!target.StartsWith(local, StringComparison.Ordinal) || target.Length == local.Length)
            return $"destination \"{config.File}\" escapes the task's local directory";
        try
        {
            var payload = DispatchPayloadCompression.Decompress(stored);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            // Written beside and renamed over: a rename replaces whatever is at the path (even a link), never writes through it.
            var temp = $"{target}.{Guid.NewGuid():N}.tmp";
            File.WriteAllBytes(temp, payload);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.Move(temp, target, overwrite: true);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return e.Message;
        }
    }

    /// <summary>Nomad's "Task hook failed" event for this hook.</summary>
    public static TaskEvent HookFailed(string error)
    {
        var message = $"{HookName}: {error}";
        return new TaskEvent
        {
            Type = "Task hook failed",
            Time = UnixNanos.Now(),
            Message = message,
            DisplayMessage = message,
            FailsTask = true,
            Details = new() { ["message"] = message, ["fails_task"] = "true" },
        };
    }
}
