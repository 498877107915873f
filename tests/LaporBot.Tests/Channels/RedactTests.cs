using LaporBot.Channels;

namespace LaporBot.Tests.Channels;

public class RedactTests
{
    [Theory]
    [InlineData("+6285290082800", "+62*******800")]
    [InlineData("whatsapp:+6285290082800", "whatsapp:+62*******800")]
    [InlineData("6281234567890", "62*******890")]          // Meta wa_id: digits without +
    [InlineData("+14155238886", "+1*******886")]
    [InlineData("+35312345678", "+353*******678")]
    [InlineData("whatsapp:not-a-number", "whatsapp:*******")]
    [InlineData("12345", "*******")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Phone_KeepsCountryCodeAndLastThreeDigits(string? input, string expected) =>
        Assert.Equal(expected, Redact.Phone(input));

    [Theory]
    [InlineData("https://api.telegram.org/bot123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11/sendMessage",
                "https://api.telegram.org/bot123456:***/sendMessage")]
    [InlineData("http://127.0.0.1/file/bot123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11/photos/file_1.jpg",
                "http://127.0.0.1/file/bot123456:***/photos/file_1.jpg")]
    [InlineData("token=123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11 rest", "token=123456:*** rest")]
    [InlineData("nothing secret at 10:30", "nothing secret at 10:30")]
    public void Secrets_MasksBotTokens(string input, string expected) =>
        Assert.Equal(expected, Redact.Secrets(input));

    [Fact]
    public void All_MasksTokensAndPhoneNumbersInFreeText() =>
        Assert.Equal("send to whatsapp:+62*******800 via bot42:*** failed",
            Redact.All("send to whatsapp:+6285290082800 via bot42:AAH-secret_token failed"));

    [Theory]
    [InlineData("hubungi +6281234567890 ya", "hubungi +62*******890 ya")]
    [InlineData("hubungi +62 812-3456-7890 ya", "hubungi +62*******890 ya")]
    [InlineData("hubungi +62 812 3456 7890 ya", "hubungi +62*******890 ya")]
    [InlineData("hubungi 6281234567890 ya", "hubungi 62*******890 ya")]
    [InlineData("hubungi 62 812-3456-7890 ya", "hubungi 62*******890 ya")]
    [InlineData("hubungi 081234567890 ya", "hubungi 0*******890 ya")]
    [InlineData("hubungi 0812-3456-7890 ya", "hubungi 0*******890 ya")]
    [InlineData("hubungi 0812 3456 7890 ya", "hubungi 0*******890 ya")]
    [InlineData("hubungi 0812.3456.789 ya", "hubungi 0*******789 ya")]
    [InlineData("kantor (0282) 533-123", "kantor 0*******123")]
    [InlineData("no HP saya:081234567890.", "no HP saya:0*******890.")]
    [InlineData("WA +1 415 523 8886", "WA +1*******886")]
    public void Phones_MasksEveryWayANumberIsWritten(string input, string expected) =>
        Assert.Equal(expected, Redact.Phones(input));

    [Theory]
    [InlineData("Aduan LPR-2611-00001 masuk 24 November 2026 pukul 10:30")]
    [InlineData("lokasi -7.72345, 109.01234; nilai 5/5; Rp 150.000")]
    [InlineData("RT 003/RW 004, Jl. Merdeka No. 5")]
    public void Phones_LeavesTrackingNumbersDatesAndAddressesAlone(string input) =>
        Assert.Equal(input, Redact.Phones(input));
}
