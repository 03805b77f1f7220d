using System.Collections.Immutable;
using Nomad.Agent.Structs;

namespace Nomad.Agent.State;

/// <summary>Jobs, evaluations and allocations.</summary>
public static partial class StateApplier
{
    private static StateSnapshot RegisterJob(StateSnapshot s, ulong index, JobRegisterCommand c)
    {
        var existing = s.JobById(c.Job.ID);
        var changed = existing is null || SpecChanged(existing, c.Job);
        var job = c.Job with
        {
            CreateIndex = existing?.CreateIndex ?? index,
            ModifyIndex = index,
            JobModifyIndex = changed ? index : existing!.JobModifyIndex,
            Version = existing is null ? 0 : changed ? existing.Version + 1 : existing.Version,
            SubmitTime = changed ? c.SubmitTime : existing!.SubmitTime,
            Status = existing?.Status ?? JobStatus.Pending,
            StatusDescription = "",
            Stable = false,
        };
        s = RecordPeriodicLaunch(WithJob(s, index, job), index, job, c.SubmitTime);
        if (changed) s = WithJobVersion(s, index, job);
        // The evaluation is for the version this write stores; its index is known only here.
        if (c.Eval is not null) s = UpsertEvals(s, index, [c.Eval with { JobModifyIndex = job.JobModifyIndex }]);
        return RefreshJobStatus(s, index, job.ID);
    }

    private static StateSnapshot DeregisterJob(StateSnapshot s, ulong index, JobDeregisterCommand c)
    {
        var existing = s.JobById(c.JobID);
        if (existing is null) return c.Eval is null ? s : UpsertEvals(s, index, [c.Eval]);
        if (c.Purge)
        {
            s = WithoutJob(s, index, existing);
            s = RemovePeriodicLaunches(s, index, [c.JobID]);
            return c.Eval is null ? s : UpsertEvals(s, index, [c.Eval]);
        }
        var stopped = existing.Stop ? existing with { ModifyIndex = index } : existing with
        {
            Stop = true, Version = existing.Version + 1, JobModifyIndex = index, ModifyIndex = index, SubmitTime = c.SubmitTime,
        };
        s = WithJob(s, index, stopped);
        if (!existing.Stop) s = WithJobVersion(s, index, stopped);
        if (c.Eval is not null) s = UpsertEvals(s, index, [c.Eval with { JobModifyIndex = stopped.JobModifyIndex }]);
        return RefreshJobStatus(s, index, c.JobID);
    }

    private static StateSnapshot UpsertEvals(StateSnapshot s, ulong index, List<Evaluation>? evals)
    {
        if (evals is null || evals.Count == 0) return s;
        var table = s.Evals;
        var byJob = s.EvalsByJob;
        foreach (var e in evals)
        {
            var existing = table.TryGetValue(e.ID, out var x) ? x : null;
            table = table.SetItem(e.ID, e with { CreateIndex = existing?.CreateIndex ?? index, ModifyIndex = index });
            if (existing is null) byJob = AddTo(byJob, e.JobID, e.ID);
        }
        s = s with { Evals = table, EvalsByJob = byJob, TableIndexes = s.TableIndexes.SetItem(Tables.Evals, index) };
        foreach (var job in evals.Select(e => e.JobID).Distinct()) s = RefreshJobStatus(s, index, job);
        return s;
    }

    private static StateSnapshot ApplyPlan(StateSnapshot s, ulong index, PlanApplyCommand c)
    {
        var allocs = s.Allocs;
        var byNode = s.AllocsByNode;
        var byJob = s.AllocsByJob;
        var jobs = new HashSet<string>();
        var nodes = new HashSet<string>();
        foreach (var p in c.Placed)
        {
            var existing = allocs.TryGetValue(p.ID, out var x) ? x : null;
            var alloc = p with
            {
                Job = c.Job ?? p.Job ?? existing?.Job,
                CreateIndex = existing?.CreateIndex ?? index,
                ModifyIndex = index,
                AllocModifyIndex = index,
                CreateTime = existing?.CreateTime ?? c.Time,
                ModifyTime = c.Time,
                ClientStatus = existing?.ClientStatus ?? p.ClientStatus,
                ClientDescription = existing?.ClientDescription ?? p.ClientDescription,
                TaskStates = existing?.TaskStates ?? p.TaskStates,
            };
            allocs = allocs.SetItem(alloc.ID, alloc);
            if (existing is null)
            {
                byNode = AddTo(byNode, alloc.NodeID, alloc.ID);
                byJob = AddTo(byJob, alloc.JobID, alloc.ID);
            }
            if (alloc.PreviousAllocation.Length > 0 && allocs.TryGetValue(alloc.PreviousAllocation, out var prev))
                allocs = allocs.SetItem(prev.ID, prev with { NextAllocation = alloc.ID, ModifyIndex = index });
            jobs.Add(alloc.JobID);
            nodes.Add(alloc.NodeID);
            if (existing is not null && existing.NodeID != alloc.NodeID) nodes.Add(existing.NodeID);
        }
        foreach (var stop in c.Stopped)
        {
            if (!allocs.TryGetValue(stop.AllocID, out var existing)) continue;
            allocs = allocs.SetItem(existing.ID, existing with
            {
                DesiredStatus = stop.DesiredStatus,
                DesiredDescription = stop.DesiredDescription,
                PreemptedByAllocation = stop.PreemptedBy ?? existing.PreemptedByAllocation,
                ClientStatus = stop.ClientStatus ?? existing.ClientStatus,
                ModifyIndex = index,
                AllocModifyIndex = index,
                ModifyTime = c.Time,
            });
            jobs.Add(existing.JobID);
            nodes.Add(existing.NodeID);
        }
        s = s with
        {
            Allocs = allocs, AllocsByNode = byNode, AllocsByJob = byJob, AllocsChangedByNode = Touch(s.AllocsChangedByNode, nodes, index),
            TableIndexes = s.TableIndexes.SetItem(Tables.Allocs, index),
        };
        foreach (var job in jobs) s = RefreshJobStatus(s, index, job);
        return s;
    }

    private static StateSnapshot UpdateAllocsFromClient(StateSnapshot s, ulong index, AllocClientUpdateCommand c)
    {
        var allocs = s.Allocs;
        var jobs = new HashSet<string>();
        var nodes = new HashSet<string>();
        foreach (var u in c.Updates)
        {
            if (!allocs.TryGetValue(u.AllocID, out var existing)) continue;
            allocs = allocs.SetItem(existing.ID, existing with
            {
                ClientStatus = u.ClientStatus,
                ClientDescription = u.ClientDescription,
                TaskStates = u.TaskStates ?? existing.TaskStates,
                DeploymentStatus = HealthOf(existing.DeploymentStatus, u.DeploymentStatus, index),
                ModifyIndex = index,
                ModifyTime = c.Time,
            });
            jobs.Add(existing.JobID);
            nodes.Add(existing.NodeID);
        }
        s = s with
        {
            Allocs = allocs, AllocsChangedByNode = Touch(s.AllocsChangedByNode, nodes, index),
            TableIndexes = s.TableIndexes.SetItem(Tables.Allocs, index),
        };
        foreach (var job in jobs) s = RefreshJobStatus(s, index, job);
        return s;
    }

    private static StateSnapshot SetDesiredTransitions(StateSnapshot s, ulong index, AllocDesiredTransitionCommand c)
    {
        var allocs = s.Allocs;
        var nodes = new HashSet<string>();
        foreach (var (id, transition) in c.Transitions)
        {
            if (!allocs.TryGetValue(id, out var existing)) continue;
            allocs = allocs.SetItem(id, existing with { DesiredTransition = transition, ModifyIndex = index });
            nodes.Add(existing.NodeID);
        }
        return s with
        {
            Allocs = allocs, AllocsChangedByNode = Touch(s.AllocsChangedByNode, nodes, index),
            TableIndexes = s.TableIndexes.SetItem(Tables.Allocs, index),
        };
    }

    /// <summary>The client's health report, stamped with the index at which it changed (a repeated report keeps the old stamp).</summary>
    private static AllocDeploymentStatus? HealthOf(AllocDeploymentStatus? existing, AllocDeploymentStatus? reported, ulong index)
    {
        if (reported is null) return existing;
        if (existing is not null && existing.Healthy == reported.Healthy && existing.Timestamp == reported.Timestamp) return existing;
        return reported with { ModifyIndex = index, Canary = existing?.Canary ?? reported.Canary };
    }

    private static StateSnapshot CollectGarbage(StateSnapshot s, ulong index, GcCommand c)
    {
        var allocs = s.Allocs;
        var byNode = s.AllocsByNode;
        var byJob = s.AllocsByJob;
        var nodes = new HashSet<string>();
        foreach (var id in c.AllocIDs)
        {
            if (!allocs.TryGetValue(id, out var a) || Newer(c, a.ModifyIndex)) continue;
            nodes.Add(a.NodeID);
            allocs = allocs.Remove(id);
            byNode = RemoveFrom(byNode, a.NodeID, id);
            byJob = RemoveFrom(byJob, a.JobID, id);
        }
        var evals = s.Evals;
        var evalsByJob = s.EvalsByJob;
        foreach (var id in c.EvalIDs)
        {
            if (!evals.TryGetValue(id, out var e) || Newer(c, e.ModifyIndex)) continue;
            evals = evals.Remove(id);
            evalsByJob = RemoveFrom(evalsByJob, e.JobID, id);
        }
        var tables = s.TableIndexes;
        if (c.AllocIDs.Count > 0) tables = tables.SetItem(Tables.Allocs, index);
        if (c.EvalIDs.Count > 0) tables = tables.SetItem(Tables.Evals, index);
        if (c.JobIDs.Count > 0) tables = tables.SetItem(Tables.Jobs, index);
        var collectedJobs = c.JobIDs.Select(s.JobById).Where(j => j is not null && !Newer(c, j.ModifyIndex)).ToList();
        var jobsRemoved = collectedJobs.Select(j => j!.ID).ToList();
        var jobsByParent = s.JobsByParent;
        foreach (var j in collectedJobs)
            if (j!.ParentID.Length > 0) jobsByParent = RemoveFrom(jobsByParent, j.ParentID, j.ID);
        return RemovePeriodicLaunches(s with
        {
            Jobs = s.Jobs.RemoveRange(jobsRemoved),
            JobVersions = s.JobVersions.RemoveRange(jobsRemoved),
            JobsByParent = jobsByParent,
            Evals = evals, EvalsByJob = evalsByJob,
            Allocs = allocs, AllocsByNode = byNode, AllocsByJob = byJob,
            AllocsChangedByNode = Touch(s.AllocsChangedByNode, nodes, index),
            TableIndexes = tables,
        }, index, jobsRemoved);
    }

    /// <summary>
    /// Nomad's FSM bookkeeping of periodic launches: an active periodic job's first registration records its
    /// insertion time as a launch; a child registered under a periodic parent records the launch time its ID carries.
    /// </summary>
    private static StateSnapshot RecordPeriodicLaunch(StateSnapshot s, ulong index, Job job, long submitTime)
    {
        if (PeriodicLaunch.IsActive(job) && s.PeriodicLaunchById(job.ID) is null)
            s = WithPeriodicLaunch(s, index, new PeriodicLaunch(job.ID, job.Namespace, submitTime));
        if (job.ParentID.Length > 0 && s.JobById(job.ParentID) is { Periodic: not null } parent && !parent.IsParameterized
            && PeriodicLaunch.LaunchTimeOf(job.ID) is { } launched)
            s = WithPeriodicLaunch(s, index, new PeriodicLaunch(parent.ID, parent.Namespace, launched));
        return s;
    }

    private static StateSnapshot WithPeriodicLaunch(StateSnapshot s, ulong index, PeriodicLaunch launch)
    {
        var existing = s.PeriodicLaunchById(launch.ID);
        return s with
        {
            PeriodicLaunches = s.PeriodicLaunches.SetItem(launch.ID, launch with { CreateIndex = existing?.CreateIndex ?? index, ModifyIndex = index }),
            TableIndexes = s.TableIndexes.SetItem(Tables.PeriodicLaunch, index),
        };
    }

    private static StateSnapshot RemovePeriodicLaunches(StateSnapshot s, ulong index, IReadOnlyCollection<string> jobIds)
    {
        if (!jobIds.Any(s.PeriodicLaunches.ContainsKey)) return s;
        return s with
        {
            PeriodicLaunches = s.PeriodicLaunches.RemoveRange(jobIds),
            TableIndexes = s.TableIndexes.SetItem(Tables.PeriodicLaunch, index),
        };
    }

    /// <summary>True when a row changed after garbage collection looked at the state: it is no longer GC's to remove.</summary>
    private static bool Newer(GcCommand c, ulong modifyIndex) => c.AtIndex > 0 && modifyIndex > c.AtIndex;

    private static StateSnapshot WithJob(StateSnapshot s, ulong index, Job job) => s with
    {
        Jobs = s.Jobs.SetItem(job.ID, job),
        JobsByParent = job.ParentID.Length > 0 ? AddTo(s.JobsByParent, job.ParentID, job.ID) : s.JobsByParent,
        TableIndexes = s.TableIndexes.SetItem(Tables.Jobs, index),
    };

    /// <summary>Records a new version of a job, keeping the newest <see cref="StateSnapshot.JobTrackedVersions"/>.</summary>
    private static StateSnapshot WithJobVersion(StateSnapshot s, ulong index, Job job)
    {
        var versions = s.JobVersions.TryGetValue(job.ID, out var v) ? v : ImmutableList<Job>.Empty;
        versions = versions.RemoveAll(j => j.Version == job.Version).Insert(0, job);
        if (versions.Count > StateSnapshot.JobTrackedVersions) versions = versions.RemoveRange(StateSnapshot.JobTrackedVersions, versions.Count - StateSnapshot.JobTrackedVersions);
        return s with { JobVersions = s.JobVersions.SetItem(job.ID, versions), TableIndexes = s.TableIndexes.SetItem(Tables.JobVersion, index) };
    }

    /// <summary>Removes a job (its children, which Nomad keeps, stay indexed under its ID: the index follows the jobs table).</summary>
    private static StateSnapshot WithoutJob(StateSnapshot s, ulong index, Job job) => s with
    {
        Jobs = s.Jobs.Remove(job.ID),
        JobVersions = s.JobVersions.Remove(job.ID),
        JobsByParent = job.ParentID.Length > 0 ? RemoveFrom(s.JobsByParent, job.ParentID, job.ID) : s.JobsByParent,
        TableIndexes = s.TableIndexes.SetItem(Tables.Jobs, index).SetItem(Tables.JobVersion, index),
    };

    /// <summary>
    /// Nomad's job status: system and periodic jobs run until stopped; otherwise running while any allocation is not
    /// terminal, pending while an evaluation is, and dead once everything it had has finished.
    /// </summary>
    private static StateSnapshot RefreshJobStatus(StateSnapshot s, ulong index, string jobId)
    {
        var job = s.JobById(jobId);
        if (job is null) return s;
        var status = JobStatusOf(s, job);
        return status == job.Status ? s : WithJob(s, index, job with { Status = status, ModifyIndex = index });
    }

    private static string JobStatusOf(StateSnapshot s, Job job)
    {
        // As Nomad: system jobs, and parameterized and periodic parents (templates of other jobs), run until stopped.
        if (job.Type == JobType.System || job.Periodic is not null || job.IsParameterized)
            return job.Stop ? JobStatus.Dead : JobStatus.Running;
        var hasAny = false;
        foreach (var a in s.AllocsForJob(job.ID))
        {
            hasAny = true;
            if (!a.IsTerminal) return JobStatus.Running;
        }
        foreach (var e in s.EvalsForJob(job.ID))
        {
            hasAny = true;
            if (e.Status is EvalStatus.Pending or EvalStatus.Blocked) return JobStatus.Pending;
        }
        return hasAny ? JobStatus.Dead : JobStatus.Pending;
    }

    /// <summary>True when the job's specification differs, ignoring what the servers maintain (indexes, status, version).</summary>
    private static bool SpecChanged(Job before, Job after)
    {
        static Job Spec(Job j) => j with
        {
            Status = "", StatusDescription = "", Version = 0, SubmitTime = 0, CreateIndex = 0, ModifyIndex = 0,
            JobModifyIndex = 0, Stable = false,
        };
        return !UnpooledJson.Serialize(Spec(before), StateJson.Options).Span
            .SequenceEqual(UnpooledJson.Serialize(Spec(after), StateJson.Options).Span);
    }

    private static ImmutableDictionary<string, ulong> Touch(ImmutableDictionary<string, ulong> changed, HashSet<string> nodes, ulong index)
    {
        if (nodes.Count == 0) return changed;
        var b = changed.ToBuilder();
        foreach (var n in nodes) b[n] = index;
        return b.ToImmutable();
    }

    private static ImmutableDictionary<string, ImmutableHashSet<string>> AddTo(
        ImmutableDictionary<string, ImmutableHashSet<string>> index, string key, string id) =>
        index.SetItem(key, (index.TryGetValue(key, out var set) ? set : ImmutableHashSet<string>.Empty).Add(id));

    private static ImmutableDictionary<string, ImmutableHashSet<string>> RemoveFrom(
        ImmutableDictionary<string, ImmutableHashSet<string>> index, string key, string id)
    {
        if (!index.TryGetValue(key, out var set)) return index;
        set = set.Remove(id);
        return set.IsEmpty ? index.Remove(key) : index.SetItem(key, set);
    }
}
