using System.Reflection;
using IncidentLedger.Domain;
using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Types;

namespace IncidentLedger.Api.GraphQL;

/// <summary>
/// Binds every enum the contract declares under a domain enum's name to that domain enum, so resolvers and
/// command inputs receive and return the domain's values (GraphQL's PARTY_ROLE ↔ PartyRole.PartyRole).
/// </summary>
internal static class DomainEnums
{
    private static readonly MethodInfo BindEnum = typeof(SchemaBuilder).GetMethod(nameof(SchemaBuilder.BindEnum))!;

    public static SchemaBuilder BindDomainEnums(this SchemaBuilder builder, params string[] sdl)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var declared = sdl.SelectMany(s => Parser.Parse(s).Definitions).OfType<EnumTypeDefinitionNode>().Select(e => e.Name.Value).ToHashSet(StringComparer.Ordinal);
        var enums = typeof(IDomainCommand).Assembly.GetExportedTypes().Where(t => t.IsEnum && declared.Contains(t.Name)).GroupBy(t => t.Name);
        foreach (var named in enums)
        {
            var type = named.Count() == 1
                ? named.Single()
                : throw new InvalidOperationException($"The domain has more than one enum named {named.Key} ({string.Join(", ", named.Select(t => t.FullName))}); the contract's {named.Key} cannot tell which.");
            BindEnum.MakeGenericMethod(type).Invoke(builder, [type.Name]);
        }

        return builder;
    }
}
