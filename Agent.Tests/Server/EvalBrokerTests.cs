using Nomad.Agent.Server;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Server;

public sealed class EvalBrokerTests
{
    private static readonly string[] Service = [JobType.Service];
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    private static EvalBroker Enabled(EvalBrokerOptions? options = null)
    {
        var b = new EvalBroker(options ?? new EvalBrokerOptions());
        b.SetEnabled(true);
        return b;
    }

    private static Evaluation Eval(string job, int priority = 50, ulong index = 1, long waitUntil = 0) => new()
    {
        ID = Guid.NewGuid().ToString(), JobID = job, Priority = priority, Type = JobType.Service, Status = EvalStatus.Pending,
        CreateIndex = index, ModifyIndex = index, WaitUntil = waitUntil,
    };

    [Test]
    public async Task Dequeues_higher_priority_first_then_in_arrival_order()
    {
        var b = Enabled();
        var low = Eval("a", 10);
        var high1 = Eval("b", 80);
        var mid = Eval("c", 50);
        var high2 = Eval("d", 80);
        b.EnqueueAll([low, high1, mid, high2]);

        var order = new List<string>();
        for (var i = 0; i < 4; i++) order.Add((await b.DequeueAsync(Service, Long, CancellationToken.None))!.Value.Eval.ID);

        Assert.That(order, Is.EqualTo(new[] { high1.ID, high2.ID, mid.ID, low.ID }));
        Assert.That(b.Stats().TotalUnacked, Is.EqualTo(4));
    }

    [Test]
    public async Task Dequeue_only_takes_the_requested_schedulers_and_times_out_empty()
    {
        var b = Enabled();
        b.Enqueue(Eval("a") with { Type = JobType.Batch });
        Assert.That(await b.DequeueAsync(Service, Short, CancellationToken.None), Is.Null);
        Assert.That((await b.DequeueAsync([JobType.Batch], Long, CancellationToken.None))!.Value.Eval.Type, Is.EqualTo(JobType.Batch));
    }

    [Test]
    public async Task A_waiting_dequeue_wakes_when_an_evaluation_arrives()
    {
        var b = Enabled();
        var pending = b.DequeueAsync(Service, Long, CancellationToken.None);
        Assert.That(pending.IsCompleted, Is.False);
        var e = Eval("a");
        b.Enqueue(e);
        Assert.That((await pending)!.Value.Eval.ID, Is.EqualTo(e.ID));
    }

    [Test]
    public async Task One_evaluation_per_job_is_out_and_ack_releases_the_newest_waiting_one()
    {
        var b = Enabled();
        var first = Eval("job", index: 1);
        var older = Eval("job", index: 2);
        var newest = Eval("job", index: 3);
        var other = Eval("other", index: 4);
        b.EnqueueAll([first, older, newest, other]);

        var d1 = (await b.DequeueAsync(Service, Long, CancellationToken.None))!.Value;
        var d2 = (await b.DequeueAsync(Service, Long, CancellationToken.None))!.Value;
        Assert.That(new[] { d1.Eval.ID, d2.Eval.ID }, Is.EqualTo(new[] { first.ID, other.ID }));
        Assert.That(await b.DequeueAsync(Service, Short, CancellationToken.None), Is.Null, "the job's other evaluations wait for the first");
        Assert.That(b.Stats().TotalBlocked, Is.EqualTo(2));

        b.Ack(first.ID, d1.Token);
        var d3 = (await b.DequeueAsync(Service, Long, CancellationToken.None))!.Value;
        Assert.That(d3.Eval.ID, Is.EqualTo(newest.ID));
        Assert.That(b.TakeCancelable().Select(e => e.ID), Is.EqualTo(new[] { older.ID }));
        Assert.That(b.Stats().TotalBlocked, Is.EqualTo(0));
    }

    [Test]
    public async Task Duplicates_are_ignored_while_the_broker_holds_the_evaluation()
    {
        var b = Enabled();
        var e = Eval("a");
        b.Enqueue(e);
        b.Enqueue(e);
        var d = (await b.DequeueAsync(Service, Long, CancellationToken.None))!.Value;
        b.Enqueue(e);
        Assert.That(await b.DequeueAsync(Service, Short, CancellationToken.None), Is.Null);
        b.Ack(e.ID, d.Token);
        Assert.That(b.Stats(), Has.Property(nameof(EvalBrokerStats.TotalUnacked)).EqualTo(0).And.Property(nameof(EvalBrokerStats.TotalReady)).EqualTo(0));
    }

    [Test]
    public async Task Nack_redelivers_after_the_delay_with_a_new_token_and_the_old_one_is_refused()
    {
        var b = Enabled(new EvalBrokerOptions { InitialNackDelay = TimeSpan.FromMilliseconds(300), SubsequentNackDelay = TimeSpan.FromMilliseconds(300) });
        var e = Eval("a");
        b.Enqueue(e);
        var d1 = (await b.DequeueAsync(Service, Long, CancellationToken.None))!.Value;
        b.Nack(e.ID, d1.Token);
        Assert.That(b.Stats().TotalWaiting, Is.EqualTo(1), "held for the nack delay");
        var d2 = (await b.DequeueAsync(Service, Long, CancellationToken.None))!.Value;
        Assert.That(d2.Eval.ID, Is.EqualTo(e.ID));
        Assert.That(d2.Token, Is.Not.EqualTo(d1.Token));
        Assert.Throws<InvalidOperationException>(() => b.Ack(e.ID, d1.Token));
        b.Ack(e.ID, d2.Token);
    }

    [Test]
    public async Task After_the_delivery_limit_a_nacked_evaluation_goes_to_the_failed_queue()
    {
        var b = Enabled(new EvalBrokerOptions { DeliveryLimit = 3, InitialNackDelay = TimeSpan.Zero, SubsequentNackDelay = TimeSpan.Zero });
        var e = Eval("a");
        b.Enqueue(e);
        for (var i = 0; i < 3; i++)
        {
            var d = (await b.DequeueAsync(Service, Long, CancellationToken.None))!.Value;
            b.Nack(e.ID, d.Token);
        }
        Assert.That(await b.DequeueAsync(Service, Short, CancellationToken.None), Is.Null);
        var failed = (await b.DequeueAsync([EvalBroker.FailedQueue], Long, CancellationToken.None))!.Value;
        Assert.That(failed.Eval.ID, Is.EqualTo(e.ID));
    }

    [Test]
    public async Task An_unacked_evaluation_is_redelivered_when_the_nack_timeout_passes()
    {
        var b = Enabled(new EvalBrokerOptions { NackTimeout = TimeSpan.FromMilliseconds(200), InitialNackDelay = TimeSpan.Zero });
        var e = Eval("a");
        b.Enqueue(e);
        var d1 = (await b.DequeueAsync(Service, Long, CancellationToken.None))!.Value;
        var d2 = (await b.DequeueAsync(Service, Long, CancellationToken.None))!.Value;
        Assert.That(d2.Eval.ID, Is.EqualTo(e.ID));
        Assert.That(b.Outstanding(e.ID, d1.Token), Is.False);
        Assert.That(b.Outstanding(e.ID, d2.Token), Is.True);
    }

    [Test]
    public async Task A_paused_nack_timeout_does_not_fire()
    {
        var b = Enabled(new EvalBrokerOptions { NackTimeout = TimeSpan.FromMilliseconds(100), InitialNackDelay = TimeSpan.Zero });
        var e = Eval("a");
        b.Enqueue(e);
        var d = (await b.DequeueAsync(Service, Long, CancellationToken.None))!.Value;
        b.PauseNackTimeout(e.ID, d.Token);
        Assert.That(await b.DequeueAsync(Service, TimeSpan.FromMilliseconds(400), CancellationToken.None), Is.Null);
        Assert.That(b.Outstanding(e.ID, d.Token), Is.True);
    }

    [Test]
    public async Task An_evaluation_with_a_future_WaitUntil_is_held_until_then()
    {
        var b = Enabled();
        var e = Eval("a", waitUntil: UnixNanos.From(DateTime.UtcNow.AddMilliseconds(400)));
        b.Enqueue(e);
        Assert.That(b.Stats().TotalWaiting, Is.EqualTo(1));
        Assert.That(await b.DequeueAsync(Service, TimeSpan.FromMilliseconds(100), CancellationToken.None), Is.Null);
        var d = (await b.DequeueAsync(Service, Long, CancellationToken.None))!.Value;
        Assert.That(d.Eval.ID, Is.EqualTo(e.ID));
        Assert.That(DateTime.UtcNow, Is.GreaterThanOrEqualTo(UnixNanos.ToDateTime(e.WaitUntil)));
    }

    [Test]
    public async Task Disabling_drops_everything_and_releases_waiting_dequeues()
    {
        var b = Enabled();
        var waiting = b.DequeueAsync(Service, Long, CancellationToken.None);
        b.SetEnabled(false);
        Assert.That(await waiting.WaitAsync(Long), Is.Null);
        b.Enqueue(Eval("a"));
        b.SetEnabled(true);
        Assert.That(b.Stats().TotalReady, Is.EqualTo(0), "nothing is queued while disabled");
    }
}
