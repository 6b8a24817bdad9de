namespace OrleansIm.Grains.Calls;

/// <summary>The persisted call. Phase null = never requested; an ended call keeps its state for
/// <c>ImGrainOptions.EndedCallRetention</c> so late messages get a clear 409, then the state is cleared.</summary>
[GenerateSerializer, Alias("im.CallGrainState")]
public sealed class CallGrainState
{
    /// <summary>Null until a request succeeded; then <c>CallPhases</c>.</summary>
    [Id(0)]
    public string? Phase { get; set; }

    [Id(1)]
    public string Type { get; set; } = "";

    [Id(2)]
    public string Caller { get; set; } = "";

    [Id(3)]
    public string Callee { get; set; } = "";

    [Id(4)]
    public string CallerUserName { get; set; } = "";

    [Id(5)]
    public string CalleeUserName { get; set; } = "";

    /// <summary>Unix ms of the request.</summary>
    [Id(6)]
    public long StartedAt { get; set; }

    /// <summary>Unix ms after which an unanswered call times out; persisted so a reactivation re-arms the timer.</summary>
    [Id(7)]
    public long RingDeadline { get; set; }

    [Id(8)]
    public long? AnsweredAt { get; set; }

    [Id(9)]
    public long? EndedAt { get; set; }

    [Id(10)]
    public string? EndReason { get; set; }

    /// <summary>The device that placed the call; null when it came over HTTP (then every live caller device is told).</summary>
    [Id(11)]
    public CallDeviceRef? CallerDevice { get; set; }

    /// <summary>The accepting device; null while ringing or when accepted over HTTP (then every live callee device is told).</summary>
    [Id(12)]
    public CallDeviceRef? CalleeDevice { get; set; }

    /// <summary>The callee's devices that were rung.</summary>
    [Id(13)]
    public List<CallDeviceRef> RingingDevices { get; set; } = [];
}
