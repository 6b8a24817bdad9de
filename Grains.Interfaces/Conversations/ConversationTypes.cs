namespace OrleansIm.Grains.Interfaces;

/// <summary>Seed 003 conversation types.</summary>
public static class ConversationTypes
{
    public const int Private = 1;
    public const int Temporary = 2;
    public const int Group = 3;
    public const int Chatroom = 4;

    public static bool IsValid(int type) => type is >= 1 and <= 4;
}
