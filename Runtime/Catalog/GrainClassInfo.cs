using Microsoft.Extensions.DependencyInjection;

namespace OrleansIm.Runtime.Catalog;

/// <summary>A registered grain class for one grain type.</summary>
internal sealed record GrainClassInfo(string GrainType, Type GrainClass, ObjectFactory Factory);
