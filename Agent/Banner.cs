using Nomad.Agent.Config;
using Nomad.Agent.Logging;

namespace Nomad.Agent;

/// <summary>The `==> Nomad agent configuration:` block, laid out as Nomad's.</summary>
public static class Banner
{
    public static void Print(LogSink sink, AgentConfig c, AgentAddresses a)
    {
        var rows = new List<(string Key, string Value)>
        {
            ("Advertise Addrs", $"HTTP: {a.HttpAdvertise}; RPC: {a.RpcAdvertise}; Serf: {a.SerfAdvertise}"),
            ("Bind Addrs", $"HTTP: {a.HttpBind}; RPC: {a.RpcBind}; Serf: {a.SerfBind}"),
            ("Client", (c.Client.Enabled == true).ToString().ToLowerInvariant()),
            ("Log Level", c.LogLevel ?? "INFO"),
            ("Region", $"{c.Region} (DC: {c.Datacenter})"),
            ("Server", (c.Server.Enabled == true).ToString().ToLowerInvariant()),
            ("Version", BuildInfo.Version),
        };
        var width = rows.Max(r => r.Key.Length);
        sink.WriteRaw("==> Nomad agent configuration:");
        sink.WriteRaw("");
        foreach (var (key, value) in rows) sink.WriteRaw($"{key.PadLeft(width + 7)}: {value}");
        sink.WriteRaw("");
        sink.WriteRaw("==> Nomad agent started! Log data will stream in below:");
        sink.WriteRaw("");
    }
}
