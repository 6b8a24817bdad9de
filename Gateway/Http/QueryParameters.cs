using System.Globalization;
using Microsoft.AspNetCore.Http;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Http;

/// <summary>Typed query-string reads: a present but unparsable value is 4406.</summary>
public static class QueryParameters
{
    public static int? OptionalInt(HttpRequest request, string name)
    {
        var raw = request.Query[name].ToString();
        if (raw.Length == 0) return null;
        if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw new ImException(ImErrorCodes.InvalidParameter, $"'{name}' must be an integer.");
        return value;
    }

    public static string? OptionalString(HttpRequest request, string name)
    {
        var raw = request.Query[name].ToString();
        return raw.Length == 0 ? null : raw;
    }
}
