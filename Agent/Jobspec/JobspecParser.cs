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
        var unsupported = UnsupportedStanzas.Find(job);
        if (unsupported.Count > 0) throw new JobspecException(unsupported.Select(s => $"{fileName}: {s} is not supported yet").ToList());
        return ToStructs(job, fileName);
    }

    /// <summary>An API job as the server's job: through Nomad's API JSON, as a submitted job would arrive.</summary>
    public static Job ToStructs(Api.Job job, string fileName) => JobJson.Read(ApiJson.ToJson(job), fileName);

    public static Job ParseFile(string path) => Parse(File.ReadAllText(path), path);
}
