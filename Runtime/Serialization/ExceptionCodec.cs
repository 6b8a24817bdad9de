using System.Reflection;

namespace OrleansIm.Runtime.Serialization;

/// <summary>
/// Exceptions cross the call boundary as type name + message (+ code for <see cref="ICodedException"/>).
/// The caller gets the same exception type back when it has a (string) or (int, string) constructor,
/// otherwise a <see cref="GrainCallException"/>. Reflection here runs only on the failure path.
/// </summary>
internal static class ExceptionCodec
{
    public static ExceptionInfo ToInfo(Exception exception)
    {
        if (exception is AggregateException { InnerExceptions.Count: 1 } aggregate) exception = aggregate.InnerExceptions[0];
        var type = exception.GetType();
        return new ExceptionInfo(
            $"{type.FullName}, {type.Assembly.GetName().Name}",
            exception.Message,
            exception is ICodedException coded ? coded.Code : null,
            exception.StackTrace);
    }

    public static Exception FromInfo(ExceptionInfo info)
    {
        var type = Type.GetType(info.Type, throwOnError: false);
        if (type is not null && typeof(Exception).IsAssignableFrom(type))
        {
            try
            {
                if (info.Code is int code && type.GetConstructor([typeof(int), typeof(string)]) is { } codedCtor)
                    return (Exception)codedCtor.Invoke([code, info.Message]);
                if (type.GetConstructor([typeof(string)]) is { } messageCtor)
                    return (Exception)messageCtor.Invoke([info.Message]);
            }
            catch (TargetInvocationException)
            {
                // Fall through to the generic wrapper.
            }
        }
        return new GrainCallException(info.Type.Split(',')[0], info.Message, info.Code);
    }
}
