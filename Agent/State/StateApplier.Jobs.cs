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
        s = WithJob(s, index, job);
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
            return c.Eval is null ? s : UpsertEvals(s, index, [c.Eval]);
        }
        var stopped = existing.Stop ? existing with { ModifyIndex = index } : existing with
        {
            Stop = true, Version = existing.Version + 1, JobModifyIndex = index, ModifyIndex = index, SubmitTime = c.SubmitTime,
        };
        s = WithJob(s, index, stopped);
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
        var jobsByParent = s.JobsByParent;
        foreach (var j in collectedJobs)
            if (j!.ParentID.Length > 0) jobsByParent = RemoveFrom(jobsByParent, j.ParentID, j.ID);
        return s with
        {
            Jobs = s.Jobs.RemoveRange(collectedJobs.Select(j => j!.ID)),
            JobsByParent = jobsByParent,
            Evals = evals, EvalsByJob = evalsByJob,
            Allocs = allocs, AllocsByNode = byNode, AllocsByJob = byJob,
            AllocsChangedByNode = Touch(s.AllocsChangedByNode, nodes, index),
            TableIndexes = tables,
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

    /// <summary>Removes a job (its children, which Nomad keeps, stay indexed under its ID: the index follows the jobs table).</summary>
    private static StateSnapshot WithoutJob(StateSnapshot s, ulong index, Job job) => s with
    {
        Jobs = s.Jobs.Remove(job.ID),
        JobsByParent = job.ParentID.Length > 0 ? RemoveFrom(s.JobsByParent, job.ParentID, job.ID) : s.JobsByParent,
        TableIndexes = s.TableIndexes.SetItem(Tables.Jobs, index),
    };

    /// <summary>
    /// Nomad's job status: system jobs run until stopped; otherwise running while any allocation is not
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
        if (job.Type == JobType.System || job.Periodic is not null || job.ParameterizedJob is not null && !job.Dispatched)
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
