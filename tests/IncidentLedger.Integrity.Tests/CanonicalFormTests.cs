using System.Text;
using IncidentLedger.Integrity.Canonical;

namespace IncidentLedger.Integrity.Tests;

/// <summary>The one-pass canonical-form check agrees with canonicalising and comparing.</summary>
public sealed class CanonicalFormTests
{
    [Theory]
    [InlineData("""{"a":1,"b":[true,false,null],"c":{"d":"e"}}""", true)]
    [InlineData("""{"a\nb":"\u001f\"\\","é":"🤖"}""", true)]
    [InlineData("""{"b":1,"a":2}""", false)]
    [InlineData("""{"a":1,"a":1}""", false)]
    [InlineData("""{"a": 1}""", false)]
    [InlineData(""" {"a":1}""", false)]
    [InlineData("""{"a":1} """, false)]
    [InlineData("""{"a":1.0}""", false)]
    [InlineData("""{"a":1e2}""", false)]
    [InlineData("""{"a":-0}""", false)]
    [InlineData("""{"a":1e400}""", false)]
    [InlineData("""{"a":"\u0041"}""", false)]
    [InlineData("""{"a":"\/"}""", false)]
    [InlineData("""{"a":"\u001F"}""", false)]
    [InlineData("""{"a":"\ud800"}""", false)]
    [InlineData("""{"\u0061":1}""", false)]
    // UTF-16 order: U+20AC < U+D83D (the high surrogate of U+1F600) < U+FF66, unlike code-point order.
    [InlineData("""{"€":1,"😀":2,"ｦ":3}""", true)]
    [InlineData("""{"€":1,"ｦ":3,"😀":2}""", false)]
    [InlineData("""{"€":1,"😀":2}""", true)]
    [InlineData("""[1,{"b":0,"a":0}]""", false)]
    [InlineData("""{"a":1}{"b":2}""", false)]
    public void Agrees_with_canonicalising_and_comparing(string json, bool canonical)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        bool reference;
        try
        {
            reference = JsonCanonicalizer.Canonicalize(utf8).AsSpan().SequenceEqual(utf8);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or CanonicalizationException)
        {
            reference = false;
        }

        Assert.Equal(canonical, reference);
        Assert.Equal(canonical, CanonicalForm.Problem(utf8) is null);
    }
}
