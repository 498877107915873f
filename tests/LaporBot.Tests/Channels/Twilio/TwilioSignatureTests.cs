using LaporBot.Channels.Twilio;
using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.Channels.Twilio;

// Vectors from twilio-csharp RequestValidatorTest, as listed in docs/PROTOCOLS.md §4.1.
public class TwilioSignatureTests
{
    private const string Token = "12345";
    private const string Query = "/myapp.php?foo=1&bar=2";

    // Given in a different order from the sorted one on purpose: the validator must sort.
    private static readonly KeyValuePair<string, string>[] Params =
    [
        new("To", "+18005551212"), new("From", "+14158675309"), new("Digits", "1234"),
        new("CallSid", "CA1234567890ABCDE"), new("Caller", "+14158675309"),
    ];

    [Theory]
    [InlineData("https://mycompany.com" + Query, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")]
    [InlineData("https://mycompany.com:443" + Query, "kvajT1Ptam85bY51eRf/AJRuM3w=")]
    [InlineData("http://mycompany.com:80" + Query, "0ZXoZLH/DfblKGATFgpif+LLRf4=")]
    [InlineData("https://mycompany.com:1234" + Query, "CYn1h0gLBdNxDGkKJg6hYohgeD8=")]
    [InlineData("http://mycompany.com:1234" + Query, "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=")]
    [InlineData("https://MyCompany.com" + Query, "g9IN/x4Cft2g517EjYvEvM/W7LU=")]
    [InlineData("https://MyCompany.com:1234" + Query, "PCqOZm8cnu/L6+u5i5fuEd+Iac4=")]
    [InlineData("http://MyCompany.com" + Query, "XY7AlKOKL6im4yWyX84gldUrtis=")]
    public void Compute_MatchesPublishedVector(string url, string expected)
    {
        Assert.Equal(expected, TwilioSignature.Compute(url, Params, Token));
        Assert.True(TwilioSignature.IsValid(url, Params, Token, expected));
    }

    [Theory]
    [InlineData("https://mycompany.com:1234" + Query, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")] // port stripped matches
    [InlineData("https://mycompany.com" + Query, "kvajT1Ptam85bY51eRf/AJRuM3w=")]      // :443 added matches
    [InlineData("http://mycompany.com" + Query, "0ZXoZLH/DfblKGATFgpif+LLRf4=")]       // :80 added matches
    [InlineData("http://MyCompany.com:80" + Query, "XY7AlKOKL6im4yWyX84gldUrtis=")]    // case kept, port stripped
    public void IsValid_AcceptsEitherPortVariant(string requestUrl, string header) =>
        Assert.True(TwilioSignature.IsValid(requestUrl, Params, Token, header));

    public static TheoryData<string, string, string?, KeyValuePair<string, string>[]> MustFail => new()
    {
        { "tampered signature", "https://mycompany.com" + Query, "NOTRSOYDt4T1cUTdK1PDd93/VVr8B8=", Params },
        { "mixed-case host", "https://MyCompany.com" + Query, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", Params },
        { "missing signature", "https://mycompany.com" + Query, null, Params },
        { "empty signature", "https://mycompany.com" + Query, "", Params },
        { "different query", "https://mycompany.com/myapp.php?foo=1&bar=3", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", Params },
        { "http instead of https", "http://mycompany.com" + Query, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", Params },
        { "tampered field", "https://mycompany.com" + Query, "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
            Params.Select(p => p.Key == "Digits" ? new KeyValuePair<string, string>("Digits", "9999") : p).ToArray() },
        { "extra field", "https://mycompany.com" + Query, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", [.. Params, new("Body", "x")] },
        { "missing field", "https://mycompany.com" + Query, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", Params[1..] },
    };

    [Theory]
    [MemberData(nameof(MustFail))]
    public void IsValid_Fails(string label, string url, string? header, KeyValuePair<string, string>[] form)
    {
        Assert.False(TwilioSignature.IsValid(url, form, Token, header), label);
    }

    [Fact]
    public void IsValid_Fails_WithWrongToken() =>
        Assert.False(TwilioSignature.IsValid("https://mycompany.com" + Query, Params, "54321", "RSOYDt4T1cUTdK1PDd93/VVr8B8="));

    [Fact]
    public void IsValid_Fails_WithEmptyConfiguredToken() =>
        Assert.False(TwilioSignature.IsValid("https://mycompany.com" + Query, [], "", TwilioSignature.Compute("https://mycompany.com" + Query, [], "")));

    [Fact]
    public void Compute_SortsOrdinally_SoUpperCaseKeysComeFirst()
    {
        // Ordinal: "B" < "a"; a culture-aware sort would put "a" first.
        var sorted = TwilioSignature.Compute("https://x.test/", [new("a", "1"), new("B", "2")], Token);
        var manual = TwilioSignature.Compute("https://x.test/B2a1", [], Token);
        Assert.Equal(manual, sorted);
    }

    [Fact]
    public void Compute_MatchesSelfComputedWhatsAppVector_FromRecordedForm()
    {
        // PROTOCOLS.md §4.2; the form values are decoded (whatsapp:+62…), not the %3A%2B wire text.
        var form = TestData.Form("twilio/signed-vector.form");
        Assert.True(TwilioSignature.IsValid("https://example.com/twilio/whatsapp", form, Token, "1qlKljE9b8Eyzoh0N74g2SflUXc="));
        Assert.IsType<LaporBot.Channels.ParseOutcome<LaporBot.Channels.InboundMessage>.Accepted>(
            TwilioWebhook.ParseMessage(form, DateTimeOffset.UnixEpoch));
    }

    [Theory]
    [InlineData("https://user:pass@host.test:8443/a?b=1", "https://user:pass@host.test/a?b=1", "https://user:pass@host.test:8443/a?b=1")]
    [InlineData("https://Host.test/a", "https://Host.test/a", "https://Host.test:443/a")]
    [InlineData("http://[::1]/hook", "http://[::1]/hook", "http://[::1]:80/hook")]
    [InlineData("http://[::1]:5000/hook", "http://[::1]/hook", "http://[::1]:5000/hook")]
    [InlineData("https://host.test?x=a:b", "https://host.test?x=a:b", "https://host.test:443?x=a:b")]
    public void PortVariants_KeepEverythingElseVerbatim(string url, string withoutPort, string withPort)
    {
        Assert.Equal(withoutPort, TwilioSignature.WithoutPort(url));
        Assert.Equal(withPort, TwilioSignature.WithDefaultPort(url));
    }

    // JSON-bodied callbacks (bodySHA256), PROTOCOLS.md §4.1.
    private const string JsonBody = """{"property": "value", "boolean": true}""";
    private const string BodyHash = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";

    [Theory]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=" + BodyHash, "a9nBmqA0ju/hNViExpshrM61xv4=")]
    [InlineData("https://mycompany.com/myapp.php?bodySHA256=" + BodyHash, "y77kIzt2vzLz71DgmJGsen2scGs=")]
    public void IsValidJsonBody_AcceptsPublishedVectors(string url, string header) =>
        Assert.True(TwilioSignature.IsValidJsonBody(url, System.Text.Encoding.UTF8.GetBytes(JsonBody), Token, header));

    [Fact]
    public void IsValidJsonBody_Fails_WithOldStyleSignature() =>
        Assert.False(TwilioSignature.IsValidJsonBody("https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=" + BodyHash,
            System.Text.Encoding.UTF8.GetBytes(JsonBody), Token, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));

    [Fact]
    public void IsValidJsonBody_Fails_WhenBodyWasTampered() =>
        Assert.False(TwilioSignature.IsValidJsonBody("https://mycompany.com/myapp.php?bodySHA256=" + BodyHash,
            System.Text.Encoding.UTF8.GetBytes(JsonBody.Replace("true", "false")), Token, "y77kIzt2vzLz71DgmJGsen2scGs="));
}
