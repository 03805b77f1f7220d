using Nomad.Agent.Structs;

namespace Nomad.Agent.Server.Dispatch;

/// <summary>
/// Whether a dispatch request meets its parameterized job's rules (Nomad's validateDispatchRequest), with Nomad's
/// wording: the payload's presence against <c>payload = required|forbidden</c>, its size (16 KiB before
/// compression), no meta key the job neither requires nor allows, every required key given.
/// </summary>
public static class DispatchValidation
{
    /// <returns>the one problem, or null when the request is valid.</returns>
    public static string? Problem(ParameterizedJobConfig rules, byte[]? payload, IReadOnlyDictionary<string, string>? meta)
    {
        var hasPayload = payload is { Length: > 0 };
        if (rules.Payload == ParameterizedPayload.Required && !hasPayload)
            return "Payload is not provided but required by parameterized job";
        if (rules.Payload == ParameterizedPayload.Forbidden && hasPayload)
            return "Payload provided but forbidden by parameterized job";
        if (payload is { Length: > DispatchPayloadCompression.SizeLimit })
            return $"Payload exceeds maximum size; {payload.Length} > {DispatchPayloadCompression.SizeLimit}";

        var required = rules.MetaRequired ?? [];
        var optional = rules.MetaOptional ?? [];
        var given = meta?.Keys ?? (IEnumerable<string>)[];
        var unpermitted = given.Where(k => !required.Contains(k) && !optional.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (unpermitted.Count > 0)
            return $"Dispatch request included unpermitted metadata keys: {GoList(unpermitted)}";
        var missing = required.Where(k => meta is null || !meta.ContainsKey(k)).Distinct().Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            return $"Dispatch did not provide required meta keys: {GoList(missing)}";
        return null;
    }

    /// <summary>A string slice as Go's %v prints it: <c>[a b]</c>.</summary>
    private static string GoList(IEnumerable<string> items) => $"[{string.Join(" ", items)}]";
}
