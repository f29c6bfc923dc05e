using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Validation;

namespace IncidentLedger.GraphQL.Tests.Validation;

/// <summary>Runs one rule alone over a document against the test schema.</summary>
public abstract class RuleTestBase<TRule>
    where TRule : ValidationRule, new()
{
    protected static void ExpectValid(string query)
    {
        var errors = DocumentValidator.Validate(TestSchema.Schema, Parser.Parse(query), [new TRule()]);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    /// <summary>Expects exactly these errors, each given by its locations as (line, column) pairs.</summary>
    protected static void ExpectErrors(string query, params (int Line, int Column)[][] errors)
    {
        var actual = DocumentValidator.Validate(TestSchema.Schema, Parser.Parse(query), [new TRule()]);
        Assert.True(errors.Length == actual.Count, $"expected {errors.Length} errors, got: {string.Join("\n", actual)}");
        for (var i = 0; i < errors.Length; i++)
        {
            Assert.Equal(errors[i].Select(l => new SourceLocation(l.Line, l.Column)), actual[i].Locations ?? []);
            Assert.Equal(ErrorCodes.ValidationFailed, actual[i].Code);
        }
    }

    protected static (int, int)[] At(params (int, int)[] locations) => locations;
}
