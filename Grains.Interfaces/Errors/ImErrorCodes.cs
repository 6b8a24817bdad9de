namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// Business error codes. 0/1/211/212/213/4001/4002/4405/4406 are seed 003's; the others are ours
/// (documented in docs/protocol.md).
/// </summary>
public static class ImErrorCodes
{
    public const int Ok = 0;
    /// <summary>Internal error, or an error not defined elsewhere.</summary>
    public const int Internal = 1;
    /// <summary>The operation names a user that does not exist (never logged in).</summary>
    public const int UnknownUser = 211;
    /// <summary>A user id is not letters, digits, '_' or '-' (1–64 chars).</summary>
    public const int InvalidUserId = 212;
    /// <summary>The user is banned.</summary>
    public const int Banned = 213;
    /// <summary>A required parameter is missing.</summary>
    public const int MissingParameter = 4001;
    /// <summary>A required header is missing.</summary>
    public const int MissingHeader = 4002;
    /// <summary>The caller is not a member of the conversation (ours).</summary>
    public const int NotMember = 4003;
    /// <summary>The conversation does not exist (ours).</summary>
    public const int ConversationNotFound = 4004;
    /// <summary>Seed 002: the app server refused a third-party callback login (authType 2).</summary>
    public const int LoginRefused = 302;
    /// <summary>A static token of an older generation: refreshed or revoked through the server API (ours).</summary>
    public const int TokenRevoked = 4011;
    /// <summary>Wrong app credentials: unknown app-id or wrong app-key (ours).</summary>
    public const int Unauthorized = 4010;
    /// <summary>Missing or wrong admin key (X-Admin-Key) on the admin API (ours, HTTP 401).</summary>
    public const int AdminUnauthorized = 4012;
    /// <summary>The admin API is disabled: no Gateway:AdminKey is configured on this gateway (ours, HTTP 404).</summary>
    public const int AdminDisabled = 4040;
    /// <summary>A limit was exceeded: frame size, text length, ids per query, members (ours).</summary>
    public const int LimitExceeded = 4013;
    /// <summary>Unknown socket frame type (ours).</summary>
    public const int UnknownFrameType = 4014;
    /// <summary>A rate limit was hit; the reply says when to retry (ours, HTTP 429; docs/security.md § Limits).</summary>
    public const int RateLimited = 4290;
    /// <summary>Conversation type not 1–4.</summary>
    public const int InvalidConversationType = 4405;
    /// <summary>A parameter has the wrong format or type, or the body is not valid JSON.</summary>
    public const int InvalidParameter = 4406;
    /// <summary>A conversation with this id already exists (ours).</summary>
    public const int ConversationExists = 4409;
    /// <summary>The conversation has no stored message with this seq or msg_id (transient messages are never stored) (ours).</summary>
    public const int MessageNotFound = 4101;
    /// <summary>Only the sender of a message may recall it from a socket; the server API may recall any (ours).</summary>
    public const int NotMessageSender = 4102;
    /// <summary>The sender's recall window (ImGrains:RecallWindow) has passed since the message was sent (ours).</summary>
    public const int RecallWindowPassed = 4103;
    /// <summary>The message is already recalled (ours).</summary>
    public const int AlreadyRecalled = 4104;
    /// <summary>Teams: the conversation is not a group (conv_type 3), so it has no team operations (ours).</summary>
    public const int NotTeam = 4201;
    /// <summary>Teams: only the owner may do this (managers, transfer, dismiss, acting on managers) (ours).</summary>
    public const int NotTeamOwner = 4202;
    /// <summary>Teams: only the owner or a manager may do this, or a manager acted on the owner or another manager (ours).</summary>
    public const int NotTeamManager = 4203;
    /// <summary>Teams: the owner cannot leave, be removed, muted or demoted; transfer the team (or dismiss it) first (ours).</summary>
    public const int TeamOwnerFixed = 4204;
    /// <summary>Teams: the user is already a member (apply, accept an invitation) (ours).</summary>
    public const int AlreadyTeamMember = 4205;
    /// <summary>Teams: a user named in the request is not a member of the team (ours).</summary>
    public const int NotTeamMemberTarget = 4206;
    /// <summary>Teams: the team takes no applications (join_mode rejectAll) (ours).</summary>
    public const int TeamApplyRejected = 4207;
    /// <summary>Teams: the sender is muted in the team (ours).</summary>
    public const int TeamMemberMuted = 4210;
    /// <summary>Teams: the whole team is muted; only the owner and managers may send (ours).</summary>
    public const int TeamMuted = 4211;
    /// <summary>
    /// Teams: the system notification named by sysmsg_id is not one this request can handle: unknown, of another type or
    /// team, or already handled (ours).
    /// </summary>
    public const int TeamNotificationInvalid = 4212;
    /// <summary>Chatrooms: the sender (or the connection leaving) is not in the chatroom right now; enter it first (ours).</summary>
    public const int NotInChatroom = 4601;
    /// <summary>Chatrooms: the room holds Chatrooms:MaxConnectionsPerRoom connections already (ours).</summary>
    public const int ChatroomFull = 4602;
    /// <summary>
    /// The other user blacklisted the caller: a private (conv_type 1) message to them is neither stored nor delivered, and a
    /// friend request to them is refused (ours, 4301–4320 are friends and relations).
    /// </summary>
    public const int BlockedByRecipient = 4301;
    /// <summary>The named user is not on the caller's friend list (ours).</summary>
    public const int NotFriend = 4302;
    /// <summary>The named system notification is not a pending friend request from that user (unknown, another type, or already answered) (ours).</summary>
    public const int FriendRequestNotFound = 4303;
    /// <summary>Seed 001 call errors mirror HTTP status below 1000: a bad call request (validation).</summary>
    public const int CallBadRequest = 400;
    /// <summary>Seed 001: only the two parties of a call may act or signal in it.</summary>
    public const int CallForbidden = 403;
    /// <summary>Seed 001: no such call.</summary>
    public const int CallNotFound = 404;
    /// <summary>The call is not in a state that allows this (e.g. answering a call that already ended) (ours, HTTP-style).</summary>
    public const int CallConflict = 409;
    /// <summary>Seed 001: the callee (or the caller) is already in a call, ringing included.</summary>
    public const int CalleeBusy = 1001;

    /// <summary>
    /// Temporarily unavailable: a silo died or the call timed out (ours). The request may or may not have
    /// taken effect; retrying a send with the same client_msg_id is safe.
    /// </summary>
    public const int Unavailable = 5030;
}
