using System.Security.Cryptography;
using System.Text;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// Conversation ids are 32 lower-case hex chars (as in seed 003). A private (type 1) conversation's id is
/// derived from its two members, so creating it twice yields the same conversation.
/// </summary>
public static class ConversationIds
{
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static string ForPrivate(string appId, string userA, string userB)
    {
        var (first, second) = string.CompareOrdinal(userA, userB) <= 0 ? (userA, userB) : (userB, userA);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{appId}\n{first}\n{second}"));
        return Convert.ToHexStringLower(hash, 0, 16);
    }

    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-');
}
