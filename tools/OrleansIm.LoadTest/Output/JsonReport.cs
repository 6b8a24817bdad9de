using System.Text.Json;

namespace OrleansIm.LoadTest.Output;

/// <summary>Writes a <see cref="LoadTestReport"/> as indented camelCase JSON.</summary>
public static class JsonReport
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static async Task WriteAsync(LoadTestReport report, string path)
    {
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, report, Options);
    }
}
