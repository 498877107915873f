using LaporBot.Channels;
using LaporBot.Channels.Telegram;
using LaporBot.Tests.Fakes;
using Telegram.Bot.Types;

namespace LaporBot.Tests.Channels.Telegram;

public class TelegramUpdateParserTests
{
    public sealed record Case(string File, string UpdateId, string Chat, string? Profile, string? Text,
        double? Lat, string? Attachment, string? AttachmentType, bool Unsupported, long UnixDate)
    {
        public override string ToString() => File;
    }

    public static TheoryData<Case> Accepted => new()
    {
        new("update-text.json", "734120001", "5123456789", "Siti Rahayu",
            "Lampu penerangan jalan di Jl. Ahmad Yani mati sejak seminggu.", null, null, null, false, 1752545647),
        new("update-start.json", "734120002", "5123456789", "Siti", "/start LPR-2507-00042", null, null, null, false, 1752545600),
        new("update-location.json", "734120003", "5123456789", "Siti Rahayu", null, -7.726952, null, null, false, 1752545700),
        new("update-photo.json", "734120004", "6987654321", "Budi", "Sampah menumpuk di Pasar Gede, baunya sampai ke rumah warga.",
            null, "tg-file:AgACAgUAAxkBAAIBlarge", null, false, 1752545800),
        new("update-document.json", "734120005", "6987654321", "Budi", null, null, "tg-file:BQACAgUAAxkBAAIBdoc", "application/pdf", false, 1752545900),
        new("update-sticker.json", "734120006", "6987654321", "Budi", null, null, null, null, true, 1752546000),
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Parse_Accepts(Case c)
    {
        var outcome = TelegramUpdateParser.Parse(TestData.Bytes("telegram/" + c.File));

        var m = Assert.IsType<ParseOutcome<InboundMessage>.Accepted>(outcome).Value;
        Assert.Equal("telegram", m.Channel);
        Assert.Equal(c.UpdateId, m.ProviderMessageId);
        Assert.Equal(c.Chat, m.ChatAddress);
        Assert.Equal(c.Profile, m.ProfileName);
        Assert.Equal(c.Text, m.Text);
        Assert.Equal(c.Lat, m.Location?.Latitude);
        Assert.Equal(c.Attachment, m.Attachments.SingleOrDefault()?.SourceUrl);
        Assert.Equal(c.AttachmentType, m.Attachments.SingleOrDefault()?.ContentType);
        Assert.Equal(c.Unsupported, m.Unsupported);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(c.UnixDate), m.ReceivedAt);
    }

    [Theory]
    [InlineData("update-group.json", "supergroup chat")]
    [InlineData("update-basic-group.json", "group chat")]
    [InlineData("update-channel-post.json", "channel_post")]
    [InlineData("update-edited.json", "edited_message")]
    [InlineData("update-from-bot.json", "message from a bot")]
    [InlineData("update-my-chat-member.json", "unhandled update type")]
    [InlineData("update-callback.json", "callback_query")]
    public void Parse_Ignores(string file, string reason)
    {
        var outcome = TelegramUpdateParser.Parse(TestData.Bytes("telegram/" + file));
        Assert.Equal(reason, Assert.IsType<ParseOutcome<InboundMessage>.Ignored>(outcome).Reason);
    }

    [Theory]
    [InlineData("update-malformed.json")]
    public void Parse_Rejects_MalformedBody(string file) =>
        Assert.IsType<ParseOutcome<InboundMessage>.Rejected>(TelegramUpdateParser.Parse(TestData.Bytes("telegram/" + file)));

    // Telegram.Bot reads these without complaint (missing fields become null or 0); LaporBot must not.
    [Theory]
    [InlineData("""{"message":{"message_id":1,"date":1752545647,"chat":{"id":5,"type":"private"},"text":"halo"}}""", "no update_id")]
    [InlineData("""{"update_id":"satu","message":{}}""", "no update_id")]
    [InlineData("""{"update_id":1,"message":{"message_id":1,"date":1752545647,"text":"halo"}}""", "message without chat")]
    [InlineData("""{"update_id":1,"message":{"message_id":1,"date":1752545647,"chat":{"type":"private"},"text":"halo"}}""", "message.chat without id")]
    [InlineData("""{"update_id":1,"message":{"message_id":1,"chat":{"id":5,"type":"private"},"text":"halo"}}""", "message without date")]
    [InlineData("""{"update_id":1,"message":{"date":1752545647,"chat":{"id":5,"type":"private"},"text":"halo"}}""", "message without message_id")]
    [InlineData("""{"update_id":1,"edited_message":{"message_id":1,"date":1752545647,"text":"halo"}}""", "edited_message without chat")]
    [InlineData("""{"update_id":1,"message":{"message_id":1,"date":1752545647,"chat":{"id":5,"type":"private"},"photo":[{"width":90,"height":90}]}}""", "message.photo without file_id")]
    [InlineData("""{"update_id":1,"callback_query":{"id":"q1","chat_instance":"-5","data":"accept:LPR-2507-00042"}}""", "callback_query without from")]
    [InlineData("""{"update_id":1,"callback_query":{"from":{"id":7,"is_bot":false,"first_name":"A"},"chat_instance":"-5","data":"x"}}""", "callback_query without id")]
    [InlineData("""{"update_id":1,"message":{"message_id":1,"date":"kemarin","chat":{"id":5,"type":"private"}}}""", "does not match the Bot API types")]
    [InlineData("""{"update_id":1,"message":[1,2]}""", "does not match the Bot API types")]
    public void Read_Rejects_AnUpdateMissingAFieldLaporBotReliesOn(string json, string reason)
    {
        var outcome = TelegramUpdateParser.Read(System.Text.Encoding.UTF8.GetBytes(json));
        Assert.Contains(reason, Assert.IsType<ParseOutcome<Update>.Rejected>(outcome).Reason);
    }

    [Fact]
    public void Parse_Rejects_JsonThatIsNotAnUpdate() =>
        Assert.IsType<ParseOutcome<InboundMessage>.Rejected>(TelegramUpdateParser.Parse("[1,2]"u8));

    [Fact]
    public void ParseCallback_ExposesDataSenderAndMessage()
    {
        var update = Assert.IsType<ParseOutcome<Update>.Accepted>(TelegramUpdateParser.Read(TestData.Bytes("telegram/update-callback.json"))).Value;

        var callback = TelegramUpdateParser.ParseCallback(update);

        Assert.Equal(new TelegramCallback("4382bfdwdsb323b2d9", 5550001111, "agus_dpu", "Agus Santoso", 5550001111, 880,
            "accept:LPR-2507-00042"), callback);
    }

    [Fact]
    public void ParseCallback_IsNull_ForAMessage() =>
        Assert.Null(TelegramUpdateParser.ParseCallback(Assert.IsType<ParseOutcome<Update>.Accepted>(TelegramUpdateParser.Read(TestData.Bytes("telegram/update-text.json"))).Value));
}
