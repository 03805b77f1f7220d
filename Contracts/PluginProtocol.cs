namespace Nomad.Contracts;

/// <summary>
/// The wire protocol between the agent and a driver plugin: JSON-RPC 2.0 on the plugin's stdin/stdout,
/// each message framed by a <c>Content-Length: N\r\n\r\n</c> header (the LSP framing). Parameters are
/// passed by position. The plugin writes nothing else to stdout; its stderr goes to the agent's log.
/// </summary>
public static class PluginProtocol
{
    /// <summary>The protocol version this SDK speaks. The agent refuses a plugin that reports another.</summary>
    public const int Version = 1;

    /// <summary>Method names, as they appear on the wire.</summary>
    public static class Methods
    {
        /// <summary>Host → plugin, first call: returns <see cref="PluginInfo"/> (the handshake).</summary>
        public const string PluginInfo = "PluginInfo";
        /// <summary>Host → plugin: <c>(config: object)</c>, the agent's <c>plugin "NAME" { config {} }</c> block.</summary>
        public const string SetConfig = "SetConfig";
        /// <summary>Host → plugin: <c>(config: object)</c> → <see cref="ValidationResult"/> for a task's <c>config {}</c>.</summary>
        public const string ValidateTaskConfig = "ValidateTaskConfig";
        /// <summary>Host → plugin: → <see cref="DriverCapabilities"/>.</summary>
        public const string Capabilities = "Capabilities";
        /// <summary>Host → plugin: → the current <see cref="DriverFingerprint"/>.</summary>
        public const string Fingerprint = "Fingerprint";
        /// <summary>Plugin → host notification: <c>(fingerprint)</c> whenever it changes.</summary>
        public const string FingerprintChanged = "FingerprintChanged";
        /// <summary>Plugin → host notification: <c>(event: DriverTaskEvent)</c>, something the task's events should show.</summary>
        public const string TaskEvent = "TaskEvent";
        /// <summary>Host → plugin: <c>(task: TaskConfig)</c> → <see cref="TaskHandle"/>.</summary>
        public const string StartTask = "StartTask";
        /// <summary>Host → plugin: <c>(taskId)</c> → <see cref="ExitResult"/>, when the task exits.</summary>
        public const string WaitTask = "WaitTask";
        /// <summary>Host → plugin: <c>(taskId, timeoutMs, signal)</c>.</summary>
        public const string StopTask = "StopTask";
        /// <summary>Host → plugin: <c>(taskId, force)</c>.</summary>
        public const string DestroyTask = "DestroyTask";
        /// <summary>Host → plugin: <c>(taskId)</c> → <see cref="TaskStatus"/>.</summary>
        public const string InspectTask = "InspectTask";
        /// <summary>Host → plugin: <c>(handle: TaskHandle)</c>, re-attach after a restart.</summary>
        public const string RecoverTask = "RecoverTask";
        /// <summary>Host → plugin: <c>(taskId)</c> → <see cref="TaskResourceUsage"/>.</summary>
        public const string TaskStats = "TaskStats";
        /// <summary>Host → plugin: <c>(taskId, signal)</c>.</summary>
        public const string SignalTask = "SignalTask";
        /// <summary>Host → plugin: <c>(taskId, command: string[], timeoutMs)</c> → <see cref="ExecResult"/>.</summary>
        public const string ExecTask = "ExecTask";
        /// <summary>
        /// Host → plugin: <c>(taskId, execId, command: string[], tty)</c> → <see cref="ExecStreamResult"/> once the command
        /// has exited. Meanwhile the host sends <see cref="ExecStreamInput"/> and the plugin <see cref="ExecStreamOutput"/>
        /// notifications for <c>execId</c>; cancelling the request kills the command.
        /// </summary>
        public const string ExecTaskStreaming = "ExecTaskStreaming";
        /// <summary>Host → plugin notification: <c>(execId, seq, input: ExecInput)</c>, seq counting 0, 1, 2, ... per session.</summary>
        public const string ExecStreamInput = "ExecStreamInput";
        /// <summary>Plugin → host notification: <c>(execId, seq, output: ExecOutput)</c>, seq counting 0, 1, 2, ... per session.</summary>
        public const string ExecStreamOutput = "ExecStreamOutput";
    }
}
