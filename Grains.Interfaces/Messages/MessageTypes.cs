namespace OrleansIm.Grains.Interfaces;

/// <summary>Seed 003 message types: -1 text, -2 image, -3 voice, -4 video, -5 location, -6 file.</summary>
public static class MessageTypes
{
    public const int Text = -1;
    public const int Image = -2;
    public const int Voice = -3;
    public const int Video = -4;
    public const int Location = -5;
    public const int File = -6;

    public static bool IsValid(int type) => type is >= -6 and <= -1;
}
