namespace OrleansIm.Fuzz;

/// <summary>Byte-level damage on top of a serialized input: truncation, junk, invalid UTF-8, padding past a size limit.</summary>
public sealed class ByteMutator(Random random)
{
    private static readonly byte[][] InvalidUtf8 =
    [
        [0xC3, 0x28], [0xFF], [0xFE], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0xE2, 0x82], [0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
    ];

    /// <summary>True if <paramref name="bytes"/> is not well-formed UTF-8.</summary>
    public static bool IsInvalidUtf8(byte[] bytes) => !System.Text.Unicode.Utf8.IsValid(bytes);

    public byte[] Mutate(byte[] bytes)
    {
        var list = new List<byte>(bytes);
        switch (random.Next(9))
        {
            case 0:
                return bytes[..random.Next(bytes.Length + 1)];
            case 1:
                list.InsertRange(random.Next(list.Count + 1), InvalidUtf8[random.Next(InvalidUtf8.Length)]);
                break;
            case 2:
                for (var i = random.Next(1, 8); i > 0; i--) list.Insert(random.Next(list.Count + 1), (byte)random.Next(256));
                break;
            case 3:
                if (list.Count > 0) list[random.Next(list.Count)] ^= (byte)(1 << random.Next(8));
                break;
            case 4:
                if (list.Count > 1)
                {
                    var start = random.Next(list.Count);
                    list.InsertRange(random.Next(list.Count), list.GetRange(start, random.Next(1, list.Count - start + 1)));
                }
                break;
            case 5:
                list.InsertRange(0, new byte[] { 0xEF, 0xBB, 0xBF });
                break;
            case 6:
                list.Insert(random.Next(list.Count + 1), 0);
                break;
            case 7:
                return random.Next(2) == 0 ? [] : RandomBytes(random.Next(1, 64));
            default:
                list.AddRange(Enumerable.Repeat((byte)' ', random.Next(1, 100)));
                list.AddRange("garbage"u8.ToArray());
                break;
        }
        return list.ToArray();
    }

    /// <summary>The input padded with JSON whitespace (still valid JSON if it was) to at least <paramref name="size"/> bytes.</summary>
    public static byte[] PadTo(byte[] bytes, int size) =>
        bytes.Length >= size ? bytes : [.. bytes, .. Enumerable.Repeat((byte)' ', size - bytes.Length)];

    public byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
