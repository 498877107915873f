using LaporBot.Channels.Telegram;

namespace LaporBot.Tests.Channels.Telegram;

public class TelegramSecretTests
{
    [Theory]
    [InlineData("s3cr3t_Token-42", "s3cr3t_Token-42", true)]
    [InlineData("s3cr3t_Token-43", "s3cr3t_Token-42", false)]
    [InlineData("S3CR3T_TOKEN-42", "s3cr3t_Token-42", false)]
    [InlineData("s3cr3t_Token-4", "s3cr3t_Token-42", false)]
    [InlineData(null, "s3cr3t_Token-42", false)]
    [InlineData("", "s3cr3t_Token-42", false)]
    [InlineData("", "", false)]                 // an unconfigured secret must not accept a missing header
    public void IsValid(string? header, string configured, bool expected) =>
        Assert.Equal(expected, TelegramSecret.IsValid(header, configured));
}
