using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// What the login sync reads from the user grain, from one pass over the message store: the first session page (null
/// when not asked for) and every conversation with its read cursor and newest seq, newest update first.
/// </summary>
[GenerateSerializer, Immutable, Alias("im.LoginSyncView")]
public sealed record LoginSyncView(SessionPage? Sessions, IReadOnlyList<ConversationCursor> Conversations);
