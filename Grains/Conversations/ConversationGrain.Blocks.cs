using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Conversations;

/// <summary>
/// Black-list enforcement for private conversations. The relation grain tells the pair's conversation when one member
/// blacklists the other (<see cref="SetBlocked"/>); the conversation keeps the blockers in its state, so a send checks a
/// list that is almost always empty and makes no extra grain or storage call.
/// </summary>
public sealed partial class ConversationGrain
{
    public async Task SetBlocked(string blockerId, bool blocked)
    {
        RequireValidUserId(blockerId);
        if (State.Created && State.ConvType != ConversationTypes.Private) return;
        var present = State.BlockedBy.Contains(blockerId, StringComparer.Ordinal);
        if (present == blocked) return;
        if (blocked) State.BlockedBy.Add(blockerId);
        else State.BlockedBy.Remove(blockerId);
        // Written even when the conversation does not exist yet (Created stays false): Create keeps the list.
        await WriteStateAsync();
        ForgetIfUnknown();
    }

    /// <summary>Refuses a send by a member the other member blacklisted (4301); a transient send too.</summary>
    private void RefuseIfBlocked(string senderId)
    {
        if (State.BlockedBy.Count == 0) return;
        foreach (var blocker in State.BlockedBy)
        {
            if (blocker != senderId) throw new ImException(ImErrorCodes.BlockedByRecipient, "The recipient has blacklisted you.");
        }
    }

    /// <summary>After a delete cleared the state: the pair's blocks outlive the conversation (a new one would otherwise forget them).</summary>
    private async Task KeepBlocksAsync(List<string> blockedBy)
    {
        if (blockedBy.Count == 0) return;
        State = new ConversationState { BlockedBy = blockedBy };
        await WriteStateAsync();
    }
}
