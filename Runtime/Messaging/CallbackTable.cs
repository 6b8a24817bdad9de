using System.Collections.Concurrent;
using OrleansIm.Runtime.Invocation;
using OrleansIm.Runtime.Serialization;

namespace OrleansIm.Runtime.Messaging;

/// <summary>
/// Calls awaiting a response. A sweep fails calls past their deadline with a <see cref="TimeoutException"/>,
/// so a lost message or a call cycle between non-reentrant grains never hangs a caller.
/// </summary>
internal sealed class CallbackTable : IDisposable
{
    private readonly ConcurrentDictionary<long, PendingCall> _pending = new();
    private readonly MessageSerializer _serializer;
    private readonly Timer _sweeper;

    public CallbackTable(MessageSerializer serializer, TimeSpan responseTimeout)
    {
        _serializer = serializer;
        var interval = TimeSpan.FromTicks(Math.Clamp(responseTimeout.Ticks / 10, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromSeconds(1).Ticks));
        _sweeper = new Timer(_ => Sweep(), null, interval, interval);
    }

    public int Count => _pending.Count;

    public Task<object?> Register(Message request, GrainMethod method, TimeSpan timeout)
    {
        var call = new PendingCall(request, method, timeout);
        _pending[request.Id] = call;
        return call.Completion.Task;
    }

    /// <summary>Records which process a pending call was sent to, so its loss fails the call at once.</summary>
    public void SetTarget(long messageId, string processId)
    {
        if (_pending.TryGetValue(messageId, out var call)) call.TargetProcess = processId;
    }

    /// <summary>The calls waiting on a process right now.</summary>
    public IReadOnlyList<long> PendingCallsTo(string processId) =>
        _pending.Where(p => p.Value.TargetProcess == processId).Select(p => p.Key).ToList();

    /// <summary>
    /// Fails pending calls sent to a process whose connection died (no need to wait for the timeout): all of
    /// them, or only <paramref name="only"/> — calls made later may already go to a new incarnation with the same id.
    /// </summary>
    public int FailCallsTo(string processId, IReadOnlyCollection<long>? only = null)
    {
        var failed = 0;
        foreach (var (id, call) in _pending)
        {
            if (call.TargetProcess != processId || (only is not null && !only.Contains(id)) || !_pending.TryRemove(id, out _)) continue;
            call.Completion.TrySetException(new SiloUnavailableException(
                $"The connection to '{processId}' was lost before {call.Request.InterfaceName}.{call.Method.Name} on {call.Request.Target} was answered (message #{id})."));
            failed++;
        }
        return failed;
    }

    public void OnResponse(Message response)
    {
        if (!_pending.TryRemove(response.Id, out var call)) return; // Timed out already, or a duplicate.
        try
        {
            if (response.Status == ResponseStatus.Success)
                call.Completion.TrySetResult(_serializer.DeserializeResult(call.Method, response.Body));
            else
                call.Completion.TrySetException(_serializer.DeserializeException(response.Body));
        }
        catch (Exception ex)
        {
            call.Completion.TrySetException(new GrainCallException(ex.GetType().Name, $"Could not read the response of {call.Request}: {ex.Message}"));
        }
    }

    /// <summary>Fails every pending call whose deadline has passed; exposed for tests.</summary>
    public void Sweep()
    {
        var now = DateTime.UtcNow.Ticks;
        foreach (var (id, call) in _pending)
        {
            if (!call.Request.IsExpired(now) || !_pending.TryRemove(id, out _)) continue;
            call.Completion.TrySetException(new TimeoutException(
                $"Response did not arrive on time in {call.Timeout} for {call.Request.InterfaceName}.{call.Method.Name} on {call.Request.Target} (message #{id})."));
        }
    }

    public void Dispose() => _sweeper.Dispose();

    private sealed class PendingCall(Message request, GrainMethod method, TimeSpan timeout)
    {
        public Message Request { get; } = request;
        public GrainMethod Method { get; } = method;
        public TimeSpan Timeout { get; } = timeout;
        public TaskCompletionSource<object?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public volatile string? TargetProcess;
    }
}
