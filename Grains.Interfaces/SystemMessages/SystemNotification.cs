using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// A system notification (seed 002 <c>sysMsg</c>): a friend request, a team invitation or application, and what became
/// of them. Kept in the recipient's <see cref="ISystemInboxGrain"/> until it falls out of the newest
/// <c>ImGrains:MaxSystemNotifications</c>, so a user offline when it was sent gets it in the login sync.
/// </summary>
/// <param name="Id">Per recipient, increasing.</param>
/// <param name="Type">A <see cref="SystemNotificationTypes"/> value.</param>
/// <param name="From">The user whose action caused it; "" for the server.</param>
/// <param name="To">The recipient.</param>
/// <param name="TargetId">The team (conversation) id of a team notification; null for friend ones.</param>
/// <param name="Ps">Free text the sender attached (its length is checked by the feature that posts it).</param>
/// <param name="AttachJson">Raw JSON object, type-specific, or null.</param>
/// <param name="State">A <see cref="SystemNotificationStates"/> value: what became of the request it carries.</param>
/// <param name="Time">Unix ms when it was posted.</param>
[GenerateSerializer, Immutable, Alias("im.SystemNotification")]
public sealed record SystemNotification(
    long Id,
    string Type,
    string From,
    string To,
    string? TargetId,
    string? Ps,
    string? AttachJson,
    string State,
    bool Read,
    long Time);
