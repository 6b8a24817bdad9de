using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Conversations;

// TEMPORARY until the foundation's ISystemInboxGrain lands on main.
public sealed partial class ConversationGrain
{
    private Task InviteAsync(string inviterId, IReadOnlyList<string> invitees, string? ps) =>
        throw new ImException(ImErrorCodes.Internal, "Invitations are not available yet.");

    public Task<TeamInfo> AcceptInvite(string userId, long sysMsgId, string? exceptConnectionId) => throw new NotSupportedException();

    public Task RejectInvite(string userId, long sysMsgId, string? ps) => throw new NotSupportedException();

    public Task<bool> Apply(string userId, string? ps, string? exceptConnectionId) => throw new NotSupportedException();

    public Task PassApply(string operatorId, long sysMsgId, string? exceptConnectionId) => throw new NotSupportedException();

    public Task RejectApply(string operatorId, long sysMsgId, string? ps) => throw new NotSupportedException();
}
