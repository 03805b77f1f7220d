namespace Nomad.Agent.Server.Dispatch;

/// <summary>
/// A dispatched job's ID, as Nomad's structs.DispatchedID: <c>PARENT/dispatch-UNIXSECONDS-XXXXXXXX</c> (eight hex
/// digits of a fresh UUID), or <c>PARENT/dispatch-TEMPLATE-UNIXSECONDS-XXXXXXXX</c> with an ID prefix template.
/// </summary>
public static class DispatchedJobId
{
    public const string LaunchSuffix = "/dispatch-";

    public static string For(string parentId, string idPrefixTemplate, DateTimeOffset now)
    {
        var unique = Guid.NewGuid().ToString("N")[..8];
        var seconds = now.ToUnixTimeSeconds();
        return idPrefixTemplate.Length > 0
            ? $"{parentId}{LaunchSuffix}{idPrefixTemplate}-{seconds}-{unique}"
            : $"{parentId}{LaunchSuffix}{seconds}-{unique}";
    }
}
