using Nomad.Agent.Structs;

namespace Nomad.Agent.Jobspec;

/// <summary>
/// Nomad's rules for a group's <c>volume</c> blocks (VolumeRequest.Validate) and its tasks' <c>volume_mount</c>s,
/// worded as Nomad words them after the place: <c>group "g": volume "data": volume has an empty source</c>.
/// </summary>
public static class VolumeValidator
{
    public const string Host = "host", Csi = "csi";
    public static readonly string[] PropagationModes = ["private", "host-to-task", "bidirectional"];

    public static void Group(TaskGroup g, string ctx, List<string> errors)
    {
        foreach (var (name, v) in g.Volumes ?? new())
        {
            string at = $"{ctx}: volume \"{name}\"";
            if (v.Type is not (Host or Csi))
            {
                errors.Add($"{at}: volume has unrecognized type {v.Type}");
                continue;
            }
            if (v.Source.Length == 0) errors.Add($"{at}: volume has an empty source");
            if (v.Type == Host)
            {
                if (v.AttachmentMode.Length > 0) errors.Add($"{at}: host volumes cannot have an attachment mode");
                if (v.AccessMode.Length > 0) errors.Add($"{at}: host volumes cannot have an access mode");
                if (v.PerAlloc) errors.Add($"{at}: host volumes do not support per_alloc");
            }
        }
    }

    public static void Task(TaskGroup g, JobTask t, string ctx, List<string> errors)
    {
        var mounts = t.VolumeMounts ?? [];
        for (int i = 0; i < mounts.Count; i++)
        {
            var m = mounts[i];
            if (m.Volume.Length == 0) errors.Add($"{ctx}: volume mount ({i}) references an empty volume");
            else if (g.Volumes is null || !g.Volumes.ContainsKey(m.Volume)) errors.Add($"{ctx}: volume mount ({i}) references undefined volume {m.Volume}");
            if (m.Destination.Length == 0) errors.Add($"{ctx}: volume mount ({i}) has an empty destination");
            if (m.PropagationMode.Length > 0 && !PropagationModes.Contains(m.PropagationMode))
                errors.Add($"{ctx}: volume mount ({i}) has an invalid propagation mode \"{m.PropagationMode}\" (want {string.Join(", ", PropagationModes)})");
        }
    }
}
