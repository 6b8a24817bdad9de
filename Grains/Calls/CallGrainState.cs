namespace OrleansIm.Grains.Calls;

/// <summary>The persisted call. Phase null = never requested; an ended call keeps its state so late messages get a clear 409.</summary>
public sealed class CallGrainState
{
    /// <summary>Null until a request succeeded; then <c>CallPhases</c>.</summary>
    public string? Phase { get; set; }

    public string Type { get; set; } = "";

    public string Caller { get; set; } = "";

    public string Callee { get; set; } = "";

    public string CallerUserName { get; set; } = "";

    public string CalleeUserName { get; set; } = "";

    /// <summary>Unix ms of the request.</summary>
    public long StartedAt { get; set; }

    /// <summary>Unix ms after which an unanswered call times out; persisted so a reactivation re-arms the timer.</summary>
    public long RingDeadline { get; set; }

    public long? AnsweredAt { get; set; }

    public long? EndedAt { get; set; }

    public string? EndReason { get; set; }

    /// <summary>The device that placed the call; null when it came over HTTP (then every live caller device is told).</summary>
    public CallDeviceRef? CallerDevice { get; set; }

    /// <summary>The accepting device; null while ringing or when accepted over HTTP (then every live callee device is told).</summary>
    public CallDeviceRef? CalleeDevice { get; set; }

    /// <summary>The callee's devices that were rung.</summary>
    public List<CallDeviceRef> RingingDevices { get; set; } = [];
}
