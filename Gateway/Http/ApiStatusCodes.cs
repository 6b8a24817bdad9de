using Microsoft.AspNetCore.Http;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Http;

/// <summary>The HTTP status sent with each business code (the body always carries the code itself; see docs/protocol.md).</summary>
public static class ApiStatusCodes
{
    public static int ForCode(int code) => code switch
    {
        ImErrorCodes.Ok => StatusCodes.Status200OK,
        ImErrorCodes.UnknownUser => StatusCodes.Status404NotFound,
        ImErrorCodes.InvalidUserId => StatusCodes.Status400BadRequest,
        ImErrorCodes.Banned => StatusCodes.Status403Forbidden,
        ImErrorCodes.MissingParameter => StatusCodes.Status400BadRequest,
        ImErrorCodes.MissingHeader => StatusCodes.Status400BadRequest,
        ImErrorCodes.NotMember => StatusCodes.Status403Forbidden,
        ImErrorCodes.ConversationNotFound => StatusCodes.Status404NotFound,
        ImErrorCodes.Unauthorized => StatusCodes.Status401Unauthorized,
        ImErrorCodes.TokenRevoked => StatusCodes.Status401Unauthorized,
        ImErrorCodes.LoginRefused => StatusCodes.Status401Unauthorized,
        ImErrorCodes.AdminUnauthorized => StatusCodes.Status401Unauthorized,
        ImErrorCodes.AdminDisabled => StatusCodes.Status404NotFound,
        ImErrorCodes.LimitExceeded => StatusCodes.Status413PayloadTooLarge,
        ImErrorCodes.InvalidConversationType => StatusCodes.Status400BadRequest,
        ImErrorCodes.InvalidParameter => StatusCodes.Status400BadRequest,
        ImErrorCodes.ConversationExists => StatusCodes.Status409Conflict,
        ImErrorCodes.UnknownFrameType => StatusCodes.Status400BadRequest,
        ImErrorCodes.MessageNotFound => StatusCodes.Status404NotFound,
        ImErrorCodes.NotMessageSender => StatusCodes.Status403Forbidden,
        ImErrorCodes.RecallWindowPassed => StatusCodes.Status409Conflict,
        ImErrorCodes.AlreadyRecalled => StatusCodes.Status409Conflict,
        ImErrorCodes.NotTeam => StatusCodes.Status400BadRequest,
        ImErrorCodes.NotTeamOwner => StatusCodes.Status403Forbidden,
        ImErrorCodes.NotTeamManager => StatusCodes.Status403Forbidden,
        ImErrorCodes.TeamOwnerFixed => StatusCodes.Status409Conflict,
        ImErrorCodes.AlreadyTeamMember => StatusCodes.Status409Conflict,
        ImErrorCodes.NotTeamMemberTarget => StatusCodes.Status404NotFound,
        ImErrorCodes.TeamApplyRejected => StatusCodes.Status403Forbidden,
        ImErrorCodes.TeamMemberMuted => StatusCodes.Status403Forbidden,
        ImErrorCodes.TeamMuted => StatusCodes.Status403Forbidden,
        ImErrorCodes.TeamNotificationInvalid => StatusCodes.Status409Conflict,
        ImErrorCodes.NotInChatroom => StatusCodes.Status403Forbidden,
        ImErrorCodes.ChatroomFull => StatusCodes.Status409Conflict,
        ImErrorCodes.BlockedByRecipient => StatusCodes.Status403Forbidden,
        ImErrorCodes.NotFriend => StatusCodes.Status404NotFound,
        ImErrorCodes.FriendRequestNotFound => StatusCodes.Status404NotFound,
        ImErrorCodes.RateLimited => StatusCodes.Status429TooManyRequests,
        ImErrorCodes.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };
}
