namespace OrleansIm.Runtime;

/// <summary>What a grain instance sees of its activation: identity, runtime services and lifetime controls.</summary>
internal interface IGrainContext
{
    GrainId GrainId { get; }
    IGrainFactory GrainFactory { get; }
    IServiceProvider ServiceProvider { get; }
    void DeactivateOnIdle();
    void DelayDeactivation(TimeSpan timeSpan);
    IGrainTimer RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period);
}
