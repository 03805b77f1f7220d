using Nomad.Contracts;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Client.Allocs;

/// <summary>
/// `nomad alloc exec` on the client: checks the request as Nomad's client does (its messages and status codes: 400
/// bad request, 404 not started / not running) and runs the command through the task's driver, streaming when the
/// driver can (<see cref="DriverCapabilities.ExecStreaming"/>), else as one ExecTask with the output at the end.
/// </summary>
public static class AllocExec
{
    public static async Task<int> RunAsync(AllocRunner alloc, string task, string[] command, bool tty, IExecStream stream, CancellationToken ct)
    {
        if (task.Length == 0) throw new BadRequestException("must provide task");
        if (command.Length == 0) throw new BadRequestException("command is not present");
        var lifecycle = alloc.Tasks.FirstOrDefault(t => t.Name == task) ?? throw new BadRequestException($"unknown task name \"{task}\"");
        if (lifecycle.State.StartedAt is null) throw new NotFoundException($"task \"{task}\" not started yet.");
        if (lifecycle.IsDead || lifecycle.Runner is not { Handle: { } handle } runner || runner.Exited.IsCompleted
            || alloc.Context.Drivers.Get(runner.DriverName)?.Driver is not { } driver)
            throw new NotFoundException($"task \"{task}\" is not running.");

        var caps = await driver.CapabilitiesAsync(ct).ConfigureAwait(false);
        if (!caps.Exec) throw new BadRequestException($"driver \"{runner.DriverName}\" does not support exec");
        var execId = Guid.NewGuid().ToString();
        var log = alloc.Context.Log;
        log.Info($"task exec session starting: exec_id={execId} alloc_id={alloc.Alloc.ID} task={task} command=\"{string.Join(' ', command)}\" tty={tty.ToString().ToLowerInvariant()}");
        try
        {
            var code = caps.ExecStreaming
                ? await driver.ExecTaskStreamingAsync(handle.Config.ID, command, tty, stream, ct).ConfigureAwait(false)
                : await ExecOnce.RunAsync(driver, handle.Config.ID, command, stream, ct).ConfigureAwait(false);
            log.Info($"task exec session ended: exec_id={execId} exit_code={code}");
            return code;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.Info($"task exec session ended with an error: exec_id={execId} error=\"{e.Message}\"");
            throw;
        }
    }
}
