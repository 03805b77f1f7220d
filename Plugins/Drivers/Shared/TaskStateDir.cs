using Nomad.Contracts;

namespace Nomad.Drivers.Shared;

/// <summary>Where a driver keeps a task's own files: <c>TaskDir/.{driver}/ID</c>, or a temp folder for a task without a directory.</summary>
public static class TaskStateDir
{
    /// <summary>
    /// The task ID made a safe single path segment: characters outside letters, digits, '.', '-' and '_' become '_',
    /// and an ID of only dots (".", "..") becomes "task", so the folder never resolves to its parent (which
    /// destroying the task deletes).
    /// </summary>
    public static string For(TaskConfig task, string driver)
    {
        var safe = string.Concat(task.ID.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
        if (safe.Length == 0 || safe.All(c => c == '.')) safe = "task";
        var root = task.TaskDir.Length > 0 ? Path.Combine(task.TaskDir, "." + driver) : Path.Combine(Path.GetTempPath(), $"nomad-{driver}");
        return Path.Combine(root, safe);
    }
}
