using LaporBot.Conversations;

namespace LaporBot.Tests.Conversations;

/// <summary>The three field validators as tables: answer → stored value, or the reason it is refused.</summary>
public class ValidatorTests
{
    private static readonly string Long101 = new('a', 101);
    private static readonly string Long301 = "Jalan " + new string('b', 295);

    [Theory]
    [InlineData("Budi Santoso", "Budi Santoso")]
    [InlineData("  Siti   Aminah ", "Siti Aminah")]
    [InlineData("Bu", "Bu")]
    [InlineData("I Made Wirawan", "I Made Wirawan")]
    [InlineData("Ni Luh Putu Ayu", "Ni Luh Putu Ayu")]
    [InlineData("Ahmad S.", "Ahmad S.")]
    [InlineData("Muh. Ali bin Umar", "Muh. Ali bin Umar")]
    [InlineData("Élodie O'Neil", "Élodie O'Neil")]
    public void PersonName_accepts(string answer, string stored) =>
        AssertAccepted(new PersonNameValidator(), answer, stored);

    [Theory]
    [InlineData("", "name_empty")]
    [InlineData("   ", "name_empty")]
    [InlineData("12345", "name_no_letters")]
    [InlineData("😀😀", "name_no_letters")]
    [InlineData("!!!", "name_no_letters")]
    [InlineData("123 4a", "name_no_letters")]
    [InlineData("A", "name_too_short")]
    [InlineData("A.", "name_too_short")]
    [InlineData("Dewi 2", "name_has_digits")]
    [InlineData("Budi RT 3", "name_has_digits")]
    [InlineData("Saya mau lapor jalan rusak", "name_sentence")]
    [InlineData("lampu jalan mati semua", "name_sentence")]
    [InlineData("Ahmad Budi Santoso Wijaya Kusuma Putra", "name_sentence")]
    [InlineData("Tolong pak", "name_sentence")]
    public void PersonName_refuses(string answer, string reason) =>
        AssertRefused(new PersonNameValidator(), answer, reason);

    [Fact]
    public void PersonName_refuses_over_100_characters_and_says_the_limit()
    {
        var v = new PersonNameValidator().Check(Long101);
        Assert.Equal("name_too_long", v.Reason);
        Assert.Equal("100", v.Args!["max"]);
        Assert.True(new PersonNameValidator().Check(Long101[..100]).Ok);
    }

    [Theory]
    [InlineData("Jl. Merdeka No. 5, Sidanegara", "Jl. Merdeka No. 5, Sidanegara")]
    [InlineData("RT 2 RW 5 Desa Kalisabuk", "RT 2 RW 5 Desa Kalisabuk")]
    [InlineData("  depan   pasar Gede ", "depan pasar Gede")]
    [InlineData("Gang Melati 3", "Gang Melati 3")]
    public void Address_accepts(string answer, string stored) =>
        AssertAccepted(new AddressValidator(), answer, stored);

    [Theory]
    [InlineData("", "address_empty")]
    [InlineData("  ", "address_empty")]
    [InlineData("rt 2", "address_too_short")]
    [InlineData("-", "address_too_short")]
    [InlineData("Sidanegara", "address_too_short")]      // one word: not findable
    [InlineData("123 456 789 0", "address_too_short")]   // no place names
    [InlineData("..........", "address_too_short")]
    public void Address_refuses(string answer, string reason) =>
        AssertRefused(new AddressValidator(), answer, reason);

    [Fact]
    public void Address_refuses_over_300_characters_and_short_ones_say_the_minimum()
    {
        Assert.Equal(301, Long301.Length);
        var tooLong = new AddressValidator().Check(Long301);
        Assert.Equal("address_too_long", tooLong.Reason);
        Assert.Equal("300", tooLong.Args!["max"]);
        Assert.Equal("10", new AddressValidator().Check("rt 2").Args!["min"]);
    }

    [Theory]
    [InlineData("Lampu jalan mati sudah dua minggu", "Lampu jalan mati sudah dua minggu")]
    [InlineData("Jalan  rusak parah,   banyak lubang", "Jalan rusak parah, banyak lubang")]
    [InlineData("Website menampilkan <script>alert(1)</script> di depan", "Website menampilkan <script>alert(1)</script> di depan")]
    [InlineData("Isi '; DROP TABLE complaints; -- di kolom nama", "Isi '; DROP TABLE complaints; -- di kolom nama")]
    [InlineData("Baris pertama aduan\nbaris kedua juga penting", "Baris pertama aduan\nbaris kedua juga penting")]
    public void ComplaintText_accepts(string answer, string stored) =>
        AssertAccepted(new ComplaintTextValidator(), answer, stored);

    [Theory]
    [InlineData("", "text_empty")]
    [InlineData("rusak", "text_too_short")]
    [InlineData("jalan rusak parah", "text_too_short")]         // three words
    [InlineData("a b c d e", "text_too_short")]                 // words, but under 20 characters
    [InlineData("1 2 3 4 5 6 7 8 9 10 11 12", "text_too_short")] // no letters to speak of
    [InlineData("'; DROP TABLE complaints; --", "text_too_short")]
    public void ComplaintText_refuses(string answer, string reason) =>
        AssertRefused(new ComplaintTextValidator(), answer, reason);

    [Fact]
    public void ComplaintText_refuses_over_2000_characters_and_says_the_limit()
    {
        var text = "Jalan rusak parah " + new string('x', 1983);
        Assert.Equal(2001, text.Length);
        var v = new ComplaintTextValidator().Check(text);
        Assert.Equal("text_too_long", v.Reason);
        Assert.Equal("2000", v.Args!["max"]);
        Assert.True(new ComplaintTextValidator().Check(text[..2000]).Ok);
    }

    [Fact]
    public void Registry_finds_each_validator_by_the_name_dialogs_use()
    {
        Assert.Equal(["address", "complaint_text", "person_name"], ValidatorRegistry.Default.Names.Order(StringComparer.Ordinal));
        Assert.Null(ValidatorRegistry.Default.Find("nama_orang"));
    }

    private static void AssertAccepted(IFieldValidator validator, string answer, string stored)
    {
        var v = validator.Check(answer);
        Assert.True(v.Ok, $"{validator.Name} should accept \"{answer}\" but refused it with {v.Reason}");
        Assert.Equal(stored, v.Value);
    }

    private static void AssertRefused(IFieldValidator validator, string answer, string reason)
    {
        var v = validator.Check(answer);
        Assert.False(v.Ok, $"{validator.Name} should refuse \"{answer}\" but accepted it as \"{v.Value}\"");
        Assert.Equal(reason, v.Reason);
        Assert.Contains(reason, validator.Reasons);
    }
}
