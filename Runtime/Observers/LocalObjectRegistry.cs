using System.Collections.Concurrent;
using OrleansIm.Runtime.Catalog;
using OrleansIm.Runtime.Invocation;
using OrleansIm.Runtime.Messaging;
using OrleansIm.Runtime.Serialization;

namespace OrleansIm.Runtime.Observers;

/// <summary>
/// Objects of this process that grains can call (observers). Calls to one object run one after another
/// in arrival order on its own serial scheduler — never on the calling grain's thread.
/// </summary>
internal sealed class LocalObjectRegistry(string localId, GrainInterfaceRegistry interfaces, MessageSerializer serializer, MessageCenter center)
{
    private readonly ConcurrentDictionary<string, Entry> _byKey = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<object, Entry> _byObject = new(ReferenceEqualityComparer.Instance);

    public int Count => _byKey.Count;

    public GrainId Register(IGrainObserver target)
    {
        var entry = _byObject.GetOrAdd(target, static (obj, prefix) =>
            new Entry(obj, new GrainId(GrainId.ObserverType, $"{prefix}/{Guid.NewGuid():N}")), localId);
        _byKey[entry.Id.Key] = entry;
        return entry.Id;
    }

    public void Unregister(IGrainObserver target)
    {
        if (_byObject.TryRemove(target, out var entry)) _byKey.TryRemove(entry.Id.Key, out _);
    }

    public void Dispatch(Message message)
    {
        if (!_byKey.TryGetValue(message.Target.Key, out var entry))
            throw new ClientNotAvailableException($"Observer {message.Target} does not exist (any more) in '{localId}'.");
        var method = interfaces.Get(message.InterfaceName).GetMethod(message.MethodIndex);
        var arguments = serializer.DeserializeArguments(method, message.Body);
        Task.Factory.StartNew(() => InvokeAsync(entry, method, arguments, message), CancellationToken.None,
            TaskCreationOptions.DenyChildAttach, entry.Scheduler);
    }

    private async Task InvokeAsync(Entry entry, GrainMethod method, object?[] arguments, Message message)
    {
        try
        {
            var result = await method.Invoker(entry.Target, arguments);
            center.SendResponse(message, ResponseStatus.Success, serializer.SerializeResult(method, result));
        }
        catch (Exception ex)
        {
            center.Reject(message, ex);
        }
    }

    private sealed class Entry(object target, GrainId id)
    {
        public object Target { get; } = target;
        public GrainId Id { get; } = id;
        public ActivationTaskScheduler Scheduler { get; } = new();
    }
}
