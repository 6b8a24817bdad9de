namespace OrleansIm.Grains.Calls;

/// <summary>
/// A device as a call persists it. Observer references cannot be stored, so after a reactivation the call finds
/// the live session again by connection id (from the device's next action, or from the user's live devices).
/// </summary>
[GenerateSerializer, Alias("im.CallDeviceRef")]
public sealed class CallDeviceRef
{
    [Id(0)]
    public string DeviceType { get; set; } = "";

    [Id(1)]
    public string ConnectionId { get; set; } = "";
}
