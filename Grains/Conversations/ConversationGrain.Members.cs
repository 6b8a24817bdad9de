using Microsoft.Extensions.Logging;
using OrleansIm.Grains.Storage;

namespace OrleansIm.Grains.Conversations;

/// <summary>
/// Members: rows in the member store (<see cref="IConversationMemberStore"/>, one per member, join order kept by
/// position), held in memory while the conversation is active (<c>_members</c> in join order, <c>_memberSet</c> for
/// look-ups). A join or leave writes the rows that changed and the small conversation state (its MTime), never the whole
/// list. State written before the member store (<see cref="ConversationState.LegacyMembers"/>) is moved into it on
/// activation. Chatrooms have no rows.
/// </summary>
public sealed partial class ConversationGrain
{
    /// <summary>
    /// Reads the members from the store. A conversation written by a node from before the member store has its list in
    /// state: the rows are written first (idempotent, so a migration cut short is simply redone), then the state without it.
    /// </summary>
    private async Task LoadMembersAsync()
    {
        if (State.LegacyMembers is { Count: > 0 } legacy)
        {
            await WriteMembersAsync(() => _memberStore.AddAsync(ConvId, legacy));
            State.LegacyMembers = null;
            await WriteStateAsync();
            _logger.LogInformation("Conversation {ConvId}: moved {Count} members from its grain state to the member store.", ConvId, legacy.Count);
        }
        SetMembers(IsChatroom ? [] : await _memberStore.LoadAsync(ConvId));
    }

    private void SetMembers(IEnumerable<string> members)
    {
        _members.Clear();
        _members.AddRange(members);
        _memberSet.Clear();
        _memberSet.UnionWith(_members);
    }

    /// <summary>
    /// New members after the current ones: the state's MTime first, then one row per added member, then memory. A failed
    /// row write leaves the members as they were (only MTime moved), so the caller's error means "not joined".
    /// </summary>
    private async Task AddMembersToStoreAsync(IReadOnlyList<string> added)
    {
        State.MTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await WriteStateAsync();
        await WriteMembersAsync(() => _memberStore.AddAsync(ConvId, added));
        _members.AddRange(added);
        _memberSet.UnionWith(added);
    }

    /// <summary>Members leaving: MTime, their rows, then memory (as <see cref="AddMembersToStoreAsync"/>).</summary>
    private async Task RemoveMembersFromStoreAsync(IReadOnlySet<string> gone)
    {
        State.MTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await WriteStateAsync();
        await WriteMembersAsync(() => _memberStore.RemoveAsync(ConvId, gone.ToList()));
        _members.RemoveAll(gone.Contains);
        _memberSet.ExceptWith(gone);
    }

    /// <summary>A failed member-store write may or may not have committed: start again from what is stored.</summary>
    private async Task WriteMembersAsync(Func<Task> write)
    {
        try
        {
            await write();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }
}
