using Nomad.Agent.Structs;

namespace Nomad.Agent.Jobspec;

/// <summary>
/// Reads a Nomad job file (<c>job "name" { ... }</c>) into the <see cref="Job"/> the server models: the file goes
/// through <see cref="JobFile"/> (decode, normalise, canonicalize as Nomad's API does), and the API job is then read
/// as Nomad's API JSON by <see cref="JobJson"/>. A stanza Structs.Job cannot hold yet (<see cref="UnsupportedStanzas"/>)
/// is refused, one line each, rather than dropped. Rules that need the whole job are checked by <see cref="JobValidator"/>.
/// </summary>
public static class JobspecParser
{
    public static Job Parse(string hcl, string fileName) => Parse(hcl, fileName, new JobFileOptions());

    public static Job Parse(string hcl, string fileName, JobFileOptions options)
    {
        var job = JobFile.Parse(hcl, fileName, options, canonicalize: true);
        RefuseUnsupported(job, fileName);
        return ToStructs(job, fileName);
    }

    /// <summary>A job that uses a stanza this agent cannot run yet is refused, one line per stanza, never accepted and ignored.</summary>
    /// <exception cref="JobspecException">naming each such stanza.</exception>
    /// <param name="source">the file named before each line, or null (a job sent to the API).</param>
    public static void RefuseUnsupported(Api.Job job, string? source)
    {
        var unsupported = UnsupportedStanzas.Find(job);
        if (unsupported.Count > 0)
            throw new JobspecException(unsupported.Select(s => source is null ? $"{s} is not supported yet" : $"{source}: {s} is not supported yet").ToList());
    }

    /// <summary>An API job as the server's job: through Nomad's API JSON, as a submitted job would arrive.</summary>
    public static Job ToStructs(Api.Job job, string fileName) => JobJson.Read(ApiJson.ToJson(job), fileName);

    public static Job ParseFile(string path) => Parse(File.ReadAllText(path), path);
}
