using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OrleansIm.Runtime.Invocation;
using OrleansIm.Runtime.Messaging;
using OrleansIm.Runtime.Timers;

namespace OrleansIm.Runtime.Catalog;

/// <summary>
/// One activation of a grain: its instance, its FIFO mailbox and the loop that runs one turn at a time.
/// Lifecycle: Created → Activating (state read + OnActivateAsync) → Valid → Deactivating → Invalid.
/// </summary>
internal sealed class ActivationData : IGrainContext
{
    private readonly object _lock = new();
    private readonly Channel<WorkItem> _mailbox = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ActivationTaskScheduler _scheduler = new();
    private readonly List<GrainTimer> _timers = [];
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly GrainCatalog _catalog;
    private readonly GrainClassInfo _class;
    private ActivationState _state = ActivationState.Created;
    private List<Message>? _heldDuringDeactivation;
    private bool _deactivationQueued;
    private DeactivationReason? _deactivateAfterTurn;
    private Grain? _grain;
    private long _lastActivityTicks = DateTime.UtcNow.Ticks;
    private long _keepAliveUntilTicks;

    public ActivationData(GrainId grainId, GrainClassInfo grainClass, GrainCatalog catalog)
    {
        GrainId = grainId;
        _class = grainClass;
        _catalog = catalog;
    }

    public GrainId GrainId { get; }

    public IGrainFactory GrainFactory => _catalog.GrainFactory;

    public IServiceProvider ServiceProvider => _catalog.Services;

    /// <summary>Completes when the activation has left the catalog.</summary>
    public Task Completion => _completion.Task;

    public ActivationState State
    {
        get { lock (_lock) return _state; }
    }

    /// <summary>Queues a message; false if this activation is gone and the caller must look up a new one.</summary>
    public bool TryEnqueue(Message message)
    {
        lock (_lock)
        {
            switch (_state)
            {
                case ActivationState.Invalid:
                    return false;
                case ActivationState.Deactivating:
                    (_heldDuringDeactivation ??= []).Add(message);
                    return true;
                case ActivationState.Created:
                    _state = ActivationState.Activating;
                    _mailbox.Writer.TryWrite(WorkItem.For(message));
                    _ = Task.Run(RunAsync);
                    return true;
                default:
                    _mailbox.Writer.TryWrite(WorkItem.For(message));
                    return true;
            }
        }
    }

    public bool EnqueueTimerTick(GrainTimer timer)
    {
        lock (_lock)
        {
            return _state is ActivationState.Activating or ActivationState.Valid && _mailbox.Writer.TryWrite(WorkItem.For(timer));
        }
    }

    public void RemoveTimer(GrainTimer timer)
    {
        lock (_lock) _timers.Remove(timer);
    }

    /// <summary>Queues a deactivation behind the messages already queued (at most one at a time).</summary>
    public void RequestDeactivation(DeactivationReason reason)
    {
        lock (_lock)
        {
            if (_state == ActivationState.Created)
            {
                // Never ran: nothing to deactivate.
                _state = ActivationState.Invalid;
                _catalog.Remove(this);
                _completion.TrySetResult();
                return;
            }
            if (_state is not (ActivationState.Activating or ActivationState.Valid) || _deactivationQueued) return;
            _deactivationQueued = true;
            _mailbox.Writer.TryWrite(WorkItem.For(reason));
        }
    }

    public bool IsIdle(long nowTicks, TimeSpan collectionAge)
    {
        lock (_lock)
        {
            return _state == ActivationState.Valid
                   && nowTicks - Volatile.Read(ref _lastActivityTicks) >= collectionAge.Ticks
                   && nowTicks >= Volatile.Read(ref _keepAliveUntilTicks);
        }
    }

    void IGrainContext.DeactivateOnIdle() => RequestDeactivation(DeactivationReason.ApplicationRequested);

    void IGrainContext.DelayDeactivation(TimeSpan timeSpan)
    {
        var until = DateTime.UtcNow.Ticks + timeSpan.Ticks;
        if (until > Volatile.Read(ref _keepAliveUntilTicks)) Volatile.Write(ref _keepAliveUntilTicks, until);
    }

    IGrainTimer IGrainContext.RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        lock (_lock)
        {
            if (_state is not (ActivationState.Activating or ActivationState.Valid))
                throw new InvalidOperationException($"Cannot register a timer on {GrainId}: the activation is {_state}.");
            var timer = new GrainTimer(this, callback, dueTime, period);
            _timers.Add(timer);
            return timer;
        }
    }

    private async Task RunAsync()
    {
        try
        {
            _grain = (Grain)_class.Factory(_catalog.Services, null);
            _grain.Context = this;
            await RunTurn(async () =>
            {
                await _grain.ActivateStateAsync(_catalog.Services);
                await _grain.OnActivateAsync(CancellationToken.None);
                return (object?)null;
            }).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _catalog.Logger.LogError(ex, "Activation of {GrainId} failed.", GrainId);
            Finish(failure: ex);
            return;
        }

        lock (_lock) _state = ActivationState.Valid;
        var reason = await ProcessMailboxAsync().ConfigureAwait(false);
        await DeactivateAsync(reason).ConfigureAwait(false);
    }

    private async Task<DeactivationReason> ProcessMailboxAsync()
    {
        var reader = _mailbox.Reader;
        while (true)
        {
            while (reader.TryRead(out var item))
            {
                if (item.Message is { } message)
                {
                    await HandleMessageAsync(message).ConfigureAwait(false);
                }
                else if (item.Timer is { } timer)
                {
                    await HandleTimerAsync(timer).ConfigureAwait(false);
                }
                else if (item.Deactivation is { } reason)
                {
                    // An idle collection decided earlier may be stale: a message may have arrived since.
                    if (reason != DeactivationReason.Idle || IsIdle(DateTime.UtcNow.Ticks, _catalog.Options.CollectionAge)) return reason;
                    lock (_lock) _deactivationQueued = false;
                }

                if (_deactivateAfterTurn is { } requested) return requested;
            }
            await reader.WaitToReadAsync().ConfigureAwait(false);
        }
    }

    private async Task HandleMessageAsync(Message message)
    {
        var now = DateTime.UtcNow.Ticks;
        if (message.IsExpired(now))
        {
            _catalog.Logger.LogWarning("Dropping {Message}: its caller stopped waiting before it was processed.", message);
            return;
        }
        Volatile.Write(ref _lastActivityTicks, now);

        GrainMethod method;
        object?[] arguments;
        try
        {
            method = _catalog.Interfaces.Get(message.InterfaceName).GetMethod(message.MethodIndex);
            arguments = _catalog.Serializer.DeserializeArguments(method, message.Body);
        }
        catch (Exception ex)
        {
            _catalog.MessageCenter.Reject(message, ex);
            return;
        }

        try
        {
            var result = await RunTurn(() => method.Invoker(_grain!, arguments)).ConfigureAwait(false);
            if (message.Direction == MessageDirection.Request)
                _catalog.MessageCenter.SendResponse(message, ResponseStatus.Success, _catalog.Serializer.SerializeResult(method, result));
        }
        catch (Exception ex)
        {
            if (ex is InconsistentStateException) _deactivateAfterTurn ??= DeactivationReason.InconsistentState;
            _catalog.MessageCenter.Reject(message, ex);
        }
        finally
        {
            Volatile.Write(ref _lastActivityTicks, DateTime.UtcNow.Ticks);
        }
    }

    private async Task HandleTimerAsync(GrainTimer timer)
    {
        if (timer.IsDisposed) return;
        try
        {
            await RunTurn(async () =>
            {
                await timer.InvokeAsync();
                return (object?)null;
            }).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (ex is InconsistentStateException) _deactivateAfterTurn ??= DeactivationReason.InconsistentState;
            _catalog.Logger.LogWarning(ex, "Timer callback of {GrainId} failed.", GrainId);
        }
    }

    private async Task DeactivateAsync(DeactivationReason reason)
    {
        GrainTimer[] timers;
        lock (_lock)
        {
            _state = ActivationState.Deactivating;
            timers = [.. _timers];
        }
        foreach (var timer in timers) timer.Dispose();

        try
        {
            using var cancellation = new CancellationTokenSource(_catalog.Options.DeactivationTimeout);
            await RunTurn(async () =>
            {
                await _grain!.OnDeactivateAsync(reason, cancellation.Token);
                return (object?)null;
            }).WaitAsync(_catalog.Options.DeactivationTimeout).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _catalog.Logger.LogWarning(ex, "OnDeactivateAsync of {GrainId} failed ({Reason}).", GrainId, reason);
        }
        Finish(failure: null);
    }

    /// <summary>
    /// Leaves the catalog, then hands every message still queued or held to the next activation
    /// (or fails them, if activation itself failed).
    /// </summary>
    private void Finish(Exception? failure)
    {
        _catalog.Remove(this);
        List<Message>? held;
        lock (_lock)
        {
            _state = ActivationState.Invalid;
            held = _heldDuringDeactivation;
            _heldDuringDeactivation = null;
        }
        _mailbox.Writer.TryComplete();

        var leftovers = new List<Message>();
        while (_mailbox.Reader.TryRead(out var item))
        {
            if (item.Message is { } message) leftovers.Add(message);
        }
        if (held is not null) leftovers.AddRange(held);

        foreach (var message in leftovers)
        {
            if (failure is not null) _catalog.MessageCenter.Reject(message, failure);
            else _catalog.MessageCenter.Send(message);
        }
        _completion.TrySetResult();
    }

    private Task<object?> RunTurn(Func<Task<object?>> turn) =>
        Task.Factory.StartNew(turn, CancellationToken.None, TaskCreationOptions.DenyChildAttach, _scheduler).Unwrap();

    public override string ToString() => $"Activation {GrainId} ({State})";
}
