using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansIm.Runtime.Invocation;

namespace OrleansIm.Runtime.Serialization;

/// <summary>
/// Serializes grain and observer references (any interface deriving <see cref="IAddressable"/>) as their
/// grain id string, and turns them back into live references of this process on the way in.
/// </summary>
internal sealed class AddressableJsonConverterFactory(Func<Type, GrainId, object> createReference) : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsInterface && typeof(IAddressable).IsAssignableFrom(typeToConvert);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(ReferenceConverter<>).MakeGenericType(typeToConvert), createReference)!;

    private sealed class ReferenceConverter<T>(Func<Type, GrainId, object> createReference) : JsonConverter<T> where T : class
    {
        public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null) return null;
            var id = GrainId.Parse(reader.GetString()!);
            return (T)createReference(typeof(T), id);
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        {
            if (value is not GrainReference reference)
                throw new InvalidOperationException(
                    $"A {typeof(T).Name} argument must be a reference from IGrainFactory (GetGrain / CreateObjectReference), not a local object.");
            writer.WriteStringValue(reference.GrainId.ToString());
        }
    }
}
