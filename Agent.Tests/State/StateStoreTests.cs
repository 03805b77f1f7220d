using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.State;

public sealed class StateStoreTests
{
    [Test]
    public async Task Wait_returns_when_the_table_moves()
    {
        var store = new StateStore();
        var waiting = store.WaitForTableAsync(Tables.Nodes, 0, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.That(waiting.IsCompleted, Is.False);
        var node = new Node { ID = "a", Status = NodeStatus.Ready };
        store.Publish(StateApplier.Apply(store.Current, 7, new NodeRegisterCommand(node, null)));
        var snap = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(snap.TableIndex(Tables.Nodes), Is.EqualTo(7UL));
    }

    [Test]
    public async Task Wait_ignores_other_tables_and_times_out()
    {
        var store = new StateStore();
        store.Publish(store.Current with { Index = 3, TableIndexes = store.Current.TableIndexes.SetItem("jobs", 3) });
        var snap = await store.WaitForTableAsync(Tables.Nodes, 0, TimeSpan.FromMilliseconds(50), CancellationToken.None);
        Assert.That(snap.TableIndex(Tables.Nodes), Is.EqualTo(0UL));
        Assert.That(snap.Index, Is.EqualTo(3UL));
    }
}
