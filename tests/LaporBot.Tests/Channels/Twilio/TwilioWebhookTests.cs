using LaporBot.Channels;
using LaporBot.Channels.Twilio;
using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.Channels.Twilio;

public class TwilioWebhookTests
{
    private static readonly DateTimeOffset Now = new(2025, 7, 15, 9, 0, 0, TimeSpan.FromHours(7));

    public sealed record Case(
        string File, string Sid, string From, string? Profile, string? Text, double? Lat, double? Lon, string? Label,
        int Attachments, string? Payload, bool Unsupported)
    {
        public override string ToString() => File;
    }

    public static TheoryData<Case> Accepted => new()
    {
        new("inbound-text.form", "SM1f0e8c2b9a7d4e6f8a0b1c2d3e4f5a6b", "whatsapp:+6285290082800", "Siti Rahayu",
            "Jalan di depan SD Negeri 2 Gumilir berlubang besar, sudah dua motor jatuh.", null, null, null, 0, null, false),
        new("inbound-location.form", "SM2a0e8c2b9a7d4e6f8a0b1c2d3e4f5a6b", "whatsapp:+6285290082800", "Siti Rahayu",
            null, -7.7279, 109.0094, "Jl. Gatot Subroto, Gumilir, Cilacap Utara", 0, null, false),
        new("inbound-media.form", "MM3b0e8c2b9a7d4e6f8a0b1c2d3e4f5a6b", "whatsapp:+6281234567890", "Budi",
            "Foto sampah menumpuk di pasar", null, null, null, 2, null, false),
        new("inbound-button.form", "SM4c0e8c2b9a7d4e6f8a0b1c2d3e4f5a6b", "whatsapp:+6285290082800", "Siti Rahayu",
            "Ya, kirim", null, null, null, 0, "confirm", false),
        new("inbound-empty.form", "SM5d0e8c2b9a7d4e6f8a0b1c2d3e4f5a6b", "whatsapp:+6285290082800", "Siti Rahayu",
            null, null, null, null, 0, null, true),
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void ParseMessage_Accepts(Case c)
    {
        var outcome = TwilioWebhook.ParseMessage(TestData.Form("twilio/" + c.File), Now);

        var m = Assert.IsType<ParseOutcome<InboundMessage>.Accepted>(outcome).Value;
        Assert.Equal("twilio", m.Channel);
        Assert.Equal(c.Sid, m.ProviderMessageId);
        Assert.Equal(c.From, m.ChatAddress);
        Assert.Equal(c.Profile, m.ProfileName);
        Assert.Equal(c.Text, m.Text);
        Assert.Equal(c.Lat, m.Location?.Latitude);
        Assert.Equal(c.Lon, m.Location?.Longitude);
        Assert.Equal(c.Label, m.Location?.Label);
        Assert.Equal(c.Attachments, m.Attachments.Count);
        Assert.Equal(c.Payload, m.QuickReplyPayload);
        Assert.Equal(c.Unsupported, m.Unsupported);
        Assert.Equal(Now, m.ReceivedAt);
    }

    [Fact]
    public void ParseMessage_ReadsEveryMediaUrlWithItsType()
    {
        var m = ((ParseOutcome<InboundMessage>.Accepted)TwilioWebhook.ParseMessage(TestData.Form("twilio/inbound-media.form"), Now)).Value;

        Assert.Collection(m.Attachments,
            a =>
            {
                Assert.EndsWith("/Messages/MM3b0e8c2b9a7d4e6f8a0b1c2d3e4f5a6b/Media/ME0a0e8c2b9a7d4e6f8a0b1c2d3e4f5a6b", a.SourceUrl);
                Assert.Equal("image/jpeg", a.ContentType);
            },
            a => Assert.EndsWith("/Media/ME1a0e8c2b9a7d4e6f8a0b1c2d3e4f5a6b", a.SourceUrl));
    }

    [Theory]
    [InlineData("inbound-no-sid.form", "missing MessageSid")]
    public void ParseMessage_Rejects(string file, string reason)
    {
        var outcome = TwilioWebhook.ParseMessage(TestData.Form("twilio/" + file), Now);
        Assert.Equal(reason, Assert.IsType<ParseOutcome<InboundMessage>.Rejected>(outcome).Reason);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("11")]
    public void ParseMessage_Rejects_BadNumMedia(string numMedia)
    {
        var form = TestData.Form("twilio/inbound-text.form").Select(p => p.Key == "NumMedia" ? new(p.Key, numMedia) : p);
        Assert.IsType<ParseOutcome<InboundMessage>.Rejected>(TwilioWebhook.ParseMessage(form, Now));
    }

    [Fact]
    public void ParseMessage_IgnoresOutOfRangeCoordinates()
    {
        var form = TestData.Form("twilio/inbound-location.form").Select(p => p.Key == "Latitude" ? new(p.Key, "123.4") : p);
        var m = ((ParseOutcome<InboundMessage>.Accepted)TwilioWebhook.ParseMessage(form, Now)).Value;
        Assert.Null(m.Location);
        Assert.True(m.Unsupported);
    }

    [Theory]
    [InlineData("status-delivered.form", "SM6e0e8c2b9a7d4e6f8a0b1c2d3e4f5a6b", "delivered", null)]
    [InlineData("status-undelivered.form", "SM7f0e8c2b9a7d4e6f8a0b1c2d3e4f5a6b", "undelivered", 63016)]
    [InlineData("status-read.form", "SM8a0e8c2b9a7d4e6f8a0b1c2d3e4f5a6b", "read", null)]
    public void ParseStatus_ReadsSidStatusAndErrorCode(string file, string sid, string status, int? errorCode)
    {
        var s = Assert.IsType<ParseOutcome<TwilioStatusCallback>.Accepted>(TwilioWebhook.ParseStatus(TestData.Form("twilio/" + file))).Value;
        Assert.Equal(sid, s.MessageSid);
        Assert.Equal(status, s.MessageStatus);
        Assert.Equal(errorCode, s.ErrorCode);
        Assert.Equal("whatsapp:+6285290082800", s.To);
    }

    [Fact]
    public void ParseStatus_Rejects_WithoutStatus() =>
        Assert.IsType<ParseOutcome<TwilioStatusCallback>.Rejected>(TwilioWebhook.ParseStatus([new("MessageSid", "SM1")]));

    [Fact]
    public void ParseMessage_IgnoresStatusCallbackSentToTheMessageUrl() =>
        Assert.IsType<ParseOutcome<InboundMessage>.Ignored>(TwilioWebhook.ParseMessage(TestData.Form("twilio/status-delivered.form"), Now));
}
