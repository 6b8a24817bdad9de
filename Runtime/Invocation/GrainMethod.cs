using System.Linq.Expressions;
using System.Reflection;

namespace OrleansIm.Runtime.Invocation;

/// <summary>
/// One method of a grain or observer interface, with its invoker and result adapter compiled once,
/// so no reflection happens per call.
/// </summary>
internal sealed class GrainMethod
{
    private GrainMethod(int index, MethodInfo method, Type[] parameterTypes, Type? resultType, bool isOneWay,
        Func<object, object?[], Task<object?>> invoker, Func<Task<object?>, object> resultAdapter)
    {
        Index = index;
        Method = method;
        ParameterTypes = parameterTypes;
        ResultType = resultType;
        IsOneWay = isOneWay;
        Invoker = invoker;
        ResultAdapter = resultAdapter;
    }

    public int Index { get; }
    public MethodInfo Method { get; }
    public string Name => Method.Name;
    public Type[] ParameterTypes { get; }

    /// <summary>T of a Task&lt;T&gt; method; null for a plain Task.</summary>
    public Type? ResultType { get; }

    public bool IsOneWay { get; }

    /// <summary>Calls the method on a target object and boxes its result.</summary>
    public Func<object, object?[], Task<object?>> Invoker { get; }

    /// <summary>Turns the runtime's Task&lt;object?&gt; into the Task or Task&lt;T&gt; the interface method returns.</summary>
    public Func<Task<object?>, object> ResultAdapter { get; }

    public static GrainMethod Create(Type interfaceType, MethodInfo method, int index)
    {
        var returnType = method.ReturnType;
        Type? resultType;
        if (returnType == typeof(Task)) resultType = null;
        else if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>)) resultType = returnType.GetGenericArguments()[0];
        else throw new InvalidOperationException($"{interfaceType.FullName}.{method.Name} must return Task or Task<T> (returns {returnType.Name}).");

        if (method.IsGenericMethodDefinition)
            throw new InvalidOperationException($"{interfaceType.FullName}.{method.Name}: generic grain methods are not supported.");

        var parameters = method.GetParameters();
        if (parameters.Any(p => p.ParameterType.IsByRef))
            throw new InvalidOperationException($"{interfaceType.FullName}.{method.Name}: ref/out parameters are not supported.");

        var isOneWay = method.GetCustomAttribute<OneWayAttribute>() is not null;
        if (isOneWay && resultType is not null)
            throw new InvalidOperationException($"{interfaceType.FullName}.{method.Name}: a [OneWay] method must return Task.");

        return new GrainMethod(index, method, parameters.Select(p => p.ParameterType).ToArray(), resultType, isOneWay,
            CompileInvoker(interfaceType, method, parameters, resultType), CompileResultAdapter(resultType));
    }

    private static Func<object, object?[], Task<object?>> CompileInvoker(Type interfaceType, MethodInfo method, ParameterInfo[] parameters, Type? resultType)
    {
        var target = Expression.Parameter(typeof(object), "target");
        var args = Expression.Parameter(typeof(object?[]), "args");
        var callArgs = parameters.Select((p, i) =>
            (Expression)Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), p.ParameterType));
        var call = Expression.Call(Expression.Convert(target, interfaceType), method, callArgs);
        var box = resultType is null
            ? typeof(GrainMethod).GetMethod(nameof(BoxVoid), BindingFlags.NonPublic | BindingFlags.Static)!
            : typeof(GrainMethod).GetMethod(nameof(BoxResult), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(resultType);
        return Expression.Lambda<Func<object, object?[], Task<object?>>>(Expression.Call(box, call), target, args).Compile();
    }

    private static Func<Task<object?>, object> CompileResultAdapter(Type? resultType)
    {
        if (resultType is null) return static task => task;
        var cast = typeof(GrainMethod).GetMethod(nameof(CastResult), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(resultType);
        return (Func<Task<object?>, object>)cast.CreateDelegate(typeof(Func<Task<object?>, object>));
    }

    private static async Task<object?> BoxVoid(Task task)
    {
        await task.ConfigureAwait(false);
        return null;
    }

    private static async Task<object?> BoxResult<T>(Task<T> task) => await task.ConfigureAwait(false);

    private static async Task<T> CastResult<T>(Task<object?> task) => (T)(await task.ConfigureAwait(false))!;
}
