using OrleansIm.Runtime.Messaging;
using OrleansIm.Runtime.Timers;

namespace OrleansIm.Runtime.Catalog;

/// <summary>One entry of an activation's mailbox: a message, a timer tick or a deactivation request.</summary>
internal readonly record struct WorkItem(Message? Message, GrainTimer? Timer, DeactivationReason? Deactivation)
{
    public static WorkItem For(Message message) => new(message, null, null);
    public static WorkItem For(GrainTimer timer) => new(null, timer, null);
    public static WorkItem For(DeactivationReason reason) => new(null, null, reason);
}
