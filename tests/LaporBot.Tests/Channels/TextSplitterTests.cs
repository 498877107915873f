using LaporBot.Channels;

namespace LaporBot.Tests.Channels;

public class TextSplitterTests
{
    [Fact]
    public void ShortText_IsOnePart() => Assert.Equal(["Halo"], TextSplitter.Split("Halo", 10));

    [Theory]
    [InlineData("aaaa bbbb\n\ncccc dddd", 12, new[] { "aaaa bbbb", "cccc dddd" })]     // paragraph first
    [InlineData("aaaa\nbbbb cccc", 12, new[] { "aaaa", "bbbb cccc" })]                // then line
    [InlineData("aaaa bbbb cccc", 10, new[] { "aaaa bbbb", "cccc" })]                 // then word
    [InlineData("abcdefghijkl", 5, new[] { "abcde", "fghij", "kl" })]                 // hard cut as last resort
    public void LongText_SplitsOnTheBestBoundary(string text, int max, string[] expected) =>
        Assert.Equal(expected, TextSplitter.Split(text, max));

    [Fact]
    public void HardCut_NeverSplitsASurrogatePair()
    {
        var text = "abcd" + "\U0001F64F" + "efgh"; // 🙏 is two UTF-16 units at index 4–5
        var parts = TextSplitter.Split(text, 5);
        Assert.Equal("abcd", parts[0]);
        Assert.StartsWith("\U0001F64F", parts[1]);
        Assert.Equal(text, string.Concat(parts));
    }

    [Fact]
    public void TelegramSizedText_KeepsEveryWordAndRespectsTheLimit()
    {
        var paragraph = string.Join(' ', Enumerable.Repeat("Jalan rusak di Kecamatan Kroya.", 40));
        var text = string.Join("\n\n", Enumerable.Repeat(paragraph, 10)); // ~12,400 characters
        var parts = TextSplitter.Split(text, 4096);
        Assert.All(parts, p => Assert.InRange(p.Length, 1, 4096));
        Assert.Equal(text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries),
            string.Join(' ', parts).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
    }
}
