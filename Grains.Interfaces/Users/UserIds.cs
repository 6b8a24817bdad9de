namespace OrleansIm.Grains.Interfaces;

/// <summary>User id rule (seed 003 code 212): 1–64 chars of letters, digits, '_' or '-'.</summary>
public static class UserIds
{
    public const int MaxLength = 64;

    public static bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength) return false;
        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-')) return false;
        }
        return true;
    }
}
