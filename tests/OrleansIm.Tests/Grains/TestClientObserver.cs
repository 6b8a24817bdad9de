using OrleansIm.Gateway.Sockets;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Tests.Grains;

/// <summary>
/// Records every push a grain sends to one "connection", and lets a test wait (with a deadline) until
/// the recorded pushes satisfy a condition — no fixed sleeps.
/// </summary>
public sealed class TestClientObserver : IClientObserver
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly List<ChatMessage> _messages = [];
    private readonly List<PresenceChange> _presence = [];
    private readonly List<KickNotice> _kicks = [];
    private readonly List<CallEvent> _calls = [];
    private readonly List<ClientEvent> _events = [];
    private TaskCompletionSource _changed = NewSignal();
    private readonly MessagePushOrder _pushes;
    private int _probes;

    public TestClientObserver()
    {
        // The gateway's own ordering, so grain tests see pushes as a connection would.
        _pushes = new MessagePushOrder(MessagePushOrder.DefaultCapacity, TimeSpan.FromSeconds(30),
            message => Record(() => _messages.Add(message)), () => Record(() => PushOrderBroken = true));
    }

    /// <summary>A gap in the push numbering never closed (the gateway would have closed the connection).</summary>
    public bool PushOrderBroken { get; private set; }

    /// <summary>How many liveness probes the grain sent.</summary>
    public int Probes => Volatile.Read(ref _probes);

    public IReadOnlyList<ChatMessage> Messages { get { lock (_gate) return _messages.ToList(); } }
    public IReadOnlyList<PresenceChange> Presence { get { lock (_gate) return _presence.ToList(); } }
    public IReadOnlyList<KickNotice> Kicks { get { lock (_gate) return _kicks.ToList(); } }
    public IReadOnlyList<CallEvent> Calls { get { lock (_gate) return _calls.ToList(); } }
    public IReadOnlyList<ClientEvent> Events { get { lock (_gate) return _events.ToList(); } }

    public Task OnMessage(MessagePush push)
    {
        _pushes.Accept(push);
        return Task.CompletedTask;
    }

    public Task Probe()
    {
        Interlocked.Increment(ref _probes);
        return Task.CompletedTask;
    }

    public Task OnPresence(PresenceChange change) => Record(() => _presence.Add(change));

    public Task OnKicked(KickNotice notice) => Record(() => _kicks.Add(notice));

    public Task OnCall(CallEvent callEvent) => Record(() => _calls.Add(callEvent));

    public Task OnEvent(ClientEvent clientEvent) => Record(() => _events.Add(clientEvent));

    /// <summary>Waits until <paramref name="condition"/> holds; fails the test if it does not within the timeout.</summary>
    public async Task WaitUntilAsync(Func<TestClientObserver, bool> condition, string what, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            Task changed;
            lock (_gate) changed = _changed.Task;
            if (condition(this)) return;
            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out waiting for: {what}. Messages={Messages.Count}, Presence=[{string.Join(",", Presence.Select(p => p.Status))}], Kicks={Kicks.Count}.");
            }
        }
    }

    private Task Record(Action add)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            add();
            signal = _changed;
            _changed = NewSignal();
        }
        signal.TrySetResult();
        return Task.CompletedTask;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
