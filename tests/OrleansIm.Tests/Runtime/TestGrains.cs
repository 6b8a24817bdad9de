using OrleansIm.Runtime;

namespace OrleansIm.Tests.Runtime;

// Grain interfaces and classes used only by the runtime tests.

public interface IProbeGrain : IGrainWithStringKey
{
    /// <summary>Awaits inside the turn and reports the highest number of turns ever seen running at once.</summary>
    Task<int> Enter(int sequence, int delayMs);
    Task<List<int>> GetOrder();
    Task<List<string>> Echo(List<string> items);
    Task Keep(List<string> items);
    Task<List<string>> GetKept();
    Task<List<string>> GetKeptLive();
    Task Fail(int code, string message);
    Task FailUnknown(string message);
    [OneWay] Task Record(int value);
    Task<int> StartTimer(int periodMs);
    Task<int> GetTimerTicks();
    Task<int> GetMaxConcurrency();
    Task<(int Number, string Text)> Pair(int number, string text);
}

public sealed class CodedTestException(int code, string message) : Exception(message), ICodedException
{
    public int Code { get; } = code;
}

/// <summary>An exception type the caller cannot rebuild (no suitable constructor).</summary>
public sealed class OpaqueTestException : Exception
{
    public OpaqueTestException(string message, Guid unused) : base(message) { _ = unused; }
}

public sealed class ProbeGrain : Grain, IProbeGrain
{
    private readonly List<int> _order = [];
    private List<string> _kept = [];
    private int _running;
    private int _maxRunning;
    private int _timerTicks;
    private IGrainTimer? _timer;

    public async Task<int> Enter(int sequence, int delayMs)
    {
        var now = Interlocked.Increment(ref _running);
        _maxRunning = Math.Max(_maxRunning, now);
        _order.Add(sequence);
        await Task.Delay(delayMs);
        await Task.Yield();
        Interlocked.Decrement(ref _running);
        return _maxRunning;
    }

    public Task<List<int>> GetOrder() => Task.FromResult(_order);
    public Task<List<string>> Echo(List<string> items) => Task.FromResult(items);

    public Task Keep(List<string> items)
    {
        _kept = items;
        return Task.CompletedTask;
    }

    public Task<List<string>> GetKept() => Task.FromResult(_kept);

    public Task<List<string>> GetKeptLive()
    {
        // Mutating after returning must not affect what the caller got: the result was serialized at return.
        var result = _kept;
        return Task.FromResult(result);
    }

    public Task Fail(int code, string message) => throw new CodedTestException(code, message);
    public Task FailUnknown(string message) => throw new OpaqueTestException(message, Guid.NewGuid());

    public Task Record(int value)
    {
        _order.Add(value);
        return Task.CompletedTask;
    }

    public Task<int> StartTimer(int periodMs)
    {
        _timer ??= RegisterGrainTimer(async () =>
        {
            var now = Interlocked.Increment(ref _running);
            _maxRunning = Math.Max(_maxRunning, now);
            await Task.Delay(5);
            _timerTicks++;
            Interlocked.Decrement(ref _running);
        }, TimeSpan.FromMilliseconds(periodMs), TimeSpan.FromMilliseconds(periodMs));
        return Task.FromResult(_timerTicks);
    }

    public Task<int> GetTimerTicks() => Task.FromResult(_timerTicks);
    public Task<int> GetMaxConcurrency() => Task.FromResult(_maxRunning);
    public Task<(int Number, string Text)> Pair(int number, string text) => Task.FromResult((number * 2, text + "!"));
}

public sealed class CounterState
{
    public int Value { get; set; }
}

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> IncrementAndWrite();
    Task<int> Get();
    Task<int> GetActivationNumber();
}

/// <summary>Counts activations and deactivations per key, shared by all activations (registered in DI).</summary>
public sealed class LifecycleLog
{
    private readonly Dictionary<string, int> _activations = [];
    private readonly List<(string Key, DeactivationReason Reason)> _deactivations = [];

    public int Activated(string key)
    {
        lock (_activations)
        {
            _activations[key] = _activations.GetValueOrDefault(key) + 1;
            return _activations[key];
        }
    }

    public void Deactivated(string key, DeactivationReason reason)
    {
        lock (_activations) _deactivations.Add((key, reason));
    }

    public int ActivationCount(string key)
    {
        lock (_activations) return _activations.GetValueOrDefault(key);
    }

    public List<DeactivationReason> DeactivationsOf(string key)
    {
        lock (_activations) return _deactivations.Where(d => d.Key == key).Select(d => d.Reason).ToList();
    }
}

public sealed class CounterGrain(LifecycleLog log) : Grain<CounterState>, ICounterGrain
{
    private int _activationNumber;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _activationNumber = log.Activated(GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        log.Deactivated(GetPrimaryKeyString(), reason);
        return Task.CompletedTask;
    }

    public async Task<int> IncrementAndWrite()
    {
        State.Value++;
        await WriteStateAsync();
        return State.Value;
    }

    public Task<int> Get() => Task.FromResult(State.Value);
    public Task<int> GetActivationNumber() => Task.FromResult(_activationNumber);
}

public interface ICycleGrain : IGrainWithStringKey
{
    Task CallPartner(string partner);
    Task CallBack(string caller);
    Task Noop();
}

public sealed class CycleGrain : Grain, ICycleGrain
{
    public Task CallPartner(string partner) => GrainFactory.GetGrain<ICycleGrain>(partner).CallBack(GetPrimaryKeyString());
    public Task CallBack(string caller) => GrainFactory.GetGrain<ICycleGrain>(caller).Noop();
    public Task Noop() => Task.CompletedTask;
}

public interface IGreetingObserver : IGrainObserver
{
    Task OnGreeting(string text);
}

public interface IPublisherGrain : IGrainWithStringKey
{
    Task Subscribe(IGreetingObserver observer);
    Task Publish(string text);
    Task<int> SubscriberCount();
}

public sealed class PublisherSettings
{
    public TimeSpan Expiry { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class PublisherGrain(PublisherSettings settings) : Grain, IPublisherGrain
{
    private readonly ObserverManager<IGreetingObserver> _observers = new(settings.Expiry);

    public Task Subscribe(IGreetingObserver observer)
    {
        _observers.Subscribe(observer);
        return Task.CompletedTask;
    }

    public Task Publish(string text)
    {
        _observers.Notify(o => o.OnGreeting(text));
        return Task.CompletedTask;
    }

    public Task<int> SubscriberCount()
    {
        _observers.ClearExpired();
        return Task.FromResult(_observers.Count);
    }
}
