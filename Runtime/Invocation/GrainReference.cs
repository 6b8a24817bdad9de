using System.Reflection;

namespace OrleansIm.Runtime.Invocation;

/// <summary>
/// Base of every generated grain/observer proxy (DispatchProxy emits the interface implementation once
/// per interface). A call becomes a message through <see cref="IGrainCallInvoker"/>; equality is by grain id.
/// </summary>
public class GrainReference : DispatchProxy
{
    private IGrainCallInvoker? _invoker;
    private GrainInterfaceMetadata? _interface;

    public GrainId GrainId { get; private set; }

    internal GrainInterfaceMetadata Interface => _interface!;

    internal void Initialize(GrainId grainId, GrainInterfaceMetadata metadata, IGrainCallInvoker invoker)
    {
        GrainId = grainId;
        _interface = metadata;
        _invoker = invoker;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var method = _interface!.GetMethod(targetMethod!);
        return method.ResultAdapter(_invoker!.InvokeAsync(GrainId, _interface, method, args ?? []));
    }

    public override bool Equals(object? obj) => obj is GrainReference other && other.GrainId == GrainId;

    public override int GetHashCode() => GrainId.GetHashCode();

    public override string ToString() => $"GrainReference:{GrainId}";
}
