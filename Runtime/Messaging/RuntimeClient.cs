using OrleansIm.Runtime.Invocation;
using OrleansIm.Runtime.Serialization;

namespace OrleansIm.Runtime.Messaging;

/// <summary>Turns proxy calls into messages: serializes arguments, registers the callback, sends.</summary>
internal sealed class RuntimeClient(MessageCenter center, CallbackTable callbacks, MessageSerializer serializer, TimeSpan responseTimeout)
    : IGrainCallInvoker
{
    private static readonly Task<object?> CompletedNull = Task.FromResult<object?>(null);
    private long _nextId;

    public Task<object?> InvokeAsync(GrainId target, GrainInterfaceMetadata grainInterface, GrainMethod method, object?[] arguments)
    {
        byte[] body;
        try
        {
            body = serializer.SerializeArguments(method, arguments);
        }
        catch (Exception ex)
        {
            return Task.FromException<object?>(ex);
        }

        var message = new Message
        {
            Id = Interlocked.Increment(ref _nextId),
            Direction = method.IsOneWay ? MessageDirection.OneWay : MessageDirection.Request,
            Target = target,
            InterfaceName = grainInterface.Name,
            MethodIndex = method.Index,
            SenderId = center.LocalId,
            DeadlineTicks = DateTime.UtcNow.Ticks + responseTimeout.Ticks,
            Body = body,
        };

        if (method.IsOneWay)
        {
            center.Send(message);
            return CompletedNull;
        }

        var result = callbacks.Register(message, method, responseTimeout);
        center.Send(message);
        return result;
    }
}
