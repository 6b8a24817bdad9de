using System.Buffers;
using System.Text.Json;
using OrleansIm.Runtime.Invocation;

namespace OrleansIm.Runtime.Serialization;

/// <summary>
/// Encodes call arguments, results and exceptions as JSON (System.Text.Json, metadata cached per type).
/// Every call goes through here, local or not, so grains never share mutable objects.
/// </summary>
internal sealed class MessageSerializer
{
    private readonly JsonSerializerOptions _options;

    public MessageSerializer(Func<Type, GrainId, object> createReference)
    {
        _options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            // Value tuples are public fields (Item1, Item2); without this they silently cross as default.
            IncludeFields = true,
            MaxDepth = 64,
        };
        _options.Converters.Add(new AddressableJsonConverterFactory(createReference));
    }

    public JsonSerializerOptions Options => _options;

    public byte[] SerializeArguments(GrainMethod method, object?[] arguments)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            var types = method.ParameterTypes;
            for (var i = 0; i < types.Length; i++) JsonSerializer.Serialize(writer, arguments[i], types[i], _options);
            writer.WriteEndArray();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public object?[] DeserializeArguments(GrainMethod method, ReadOnlySpan<byte> body)
    {
        var types = method.ParameterTypes;
        var result = new object?[types.Length];
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) throw new JsonException("Arguments must be a JSON array.");
        for (var i = 0; i < types.Length; i++)
        {
            if (!reader.Read()) throw new JsonException($"Expected {types.Length} arguments for {method.Name}.");
            result[i] = JsonSerializer.Deserialize(ref reader, types[i], _options);
        }
        return result;
    }

    public byte[] SerializeResult(GrainMethod method, object? result) =>
        method.ResultType is null ? [] : JsonSerializer.SerializeToUtf8Bytes(result, method.ResultType, _options);

    public object? DeserializeResult(GrainMethod method, ReadOnlySpan<byte> body) =>
        method.ResultType is null || body.IsEmpty ? null : JsonSerializer.Deserialize(body, method.ResultType, _options);

    public byte[] SerializeException(Exception exception) => JsonSerializer.SerializeToUtf8Bytes(ExceptionCodec.ToInfo(exception), _options);

    public Exception DeserializeException(ReadOnlySpan<byte> body)
    {
        try
        {
            var info = JsonSerializer.Deserialize<ExceptionInfo>(body, _options);
            return info is null ? new GrainCallException("Unknown", "The call failed without details.") : ExceptionCodec.FromInfo(info);
        }
        catch (JsonException ex)
        {
            return new GrainCallException("Unknown", $"The call failed and its error could not be read: {ex.Message}");
        }
    }
}
