using System.Text;
using LaporBot.Channels;
using LaporBot.Channels.Meta;
using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.Channels.Meta;

public class MetaWebhookTests
{
    private const string AppSecret = "test_app_secret";

    [Fact]
    public void Signature_MatchesSelfComputedVector()
    {
        // docs/PROTOCOLS.md §4.2 (no published Meta vector exists).
        var body = TestData.Bytes("meta/signed-vector.json");
        const string header = "sha256=dec6a680679a968e7e0319355b23599cbfc54502c0784668e9618baa0c633756";
        Assert.True(MetaWebhookSecurity.IsValidSignature(body, header, AppSecret));
        Assert.Equal(header, MetaWebhookSecurity.Sign(body, AppSecret));
    }

    [Theory]
    [InlineData("sha256=DEC6A680679A968E7E0319355B23599CBFC54502C0784668E9618BAA0C633756", AppSecret, true)]
    [InlineData("sha256=dec6a680679a968e7e0319355b23599cbfc54502c0784668e9618baa0c633757", AppSecret, false)]
    [InlineData("dec6a680679a968e7e0319355b23599cbfc54502c0784668e9618baa0c633756", AppSecret, false)]      // no prefix
    [InlineData("sha1=dec6a680679a968e7e0319355b23599cbfc54502c0784668e9618baa0c633756", AppSecret, false)]
    [InlineData("sha256=dec6a680679a968e7e0319355b23599cbfc54502c0784668e9618baa0c633756", "other_secret", false)]
    [InlineData("sha256=dec6a680679a968e7e0319355b23599cbfc54502c0784668e9618baa0c633756", "", false)]
    [InlineData("sha256=", AppSecret, false)]
    [InlineData(null, AppSecret, false)]
    public void Signature_Cases(string? header, string secret, bool expected) =>
        Assert.Equal(expected, MetaWebhookSecurity.IsValidSignature(TestData.Bytes("meta/signed-vector.json"), header, secret));

    [Fact]
    public void Signature_Fails_WhenBodyIsReserialised()
    {
        // Same JSON, different bytes (a space): signatures cover raw bytes only.
        var body = Encoding.UTF8.GetBytes("""{"object": "whatsapp_business_account","entry":[]}""");
        Assert.False(MetaWebhookSecurity.IsValidSignature(body,
            "sha256=dec6a680679a968e7e0319355b23599cbfc54502c0784668e9618baa0c633756", AppSecret));
    }

    [Theory]
    [InlineData("subscribe", "verify-me", "1158201444", "1158201444")]
    [InlineData("subscribe", "wrong", "1158201444", null)]
    [InlineData("subscribe", null, "1158201444", null)]
    [InlineData("unsubscribe", "verify-me", "1158201444", null)]
    [InlineData(null, "verify-me", "1158201444", null)]
    [InlineData("subscribe", "verify-me", "", null)]
    public void Handshake(string? mode, string? token, string? challenge, string? expected) =>
        Assert.Equal(expected, MetaWebhookSecurity.VerifyHandshake(mode, token, challenge, "verify-me"));

    [Fact]
    public void Handshake_Refuses_WhenNoVerifyTokenIsConfigured() =>
        Assert.Null(MetaWebhookSecurity.VerifyHandshake("subscribe", "", "1", ""));

    public sealed record Case(string File, string Id, string? Text, string? Payload, double? Lat, string? Label,
        string? Attachment, string? AttachmentType, bool Unsupported, long Unix)
    {
        public override string ToString() => File;
    }

    public static TheoryData<Case> Messages => new()
    {
        new("text.json", "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFDNBMDFBQzE5RDhGQjVDMTRBQjQ5AA==",
            "Selamat pagi, saya mau lapor saluran air tersumbat di Jl. Kalimantan.", null, null, null, null, null, false, 1752545647),
        new("location.json", "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFDNBMDJBQzE5RDhGQjVDMTRBQjQ5AA==", null, null, -7.7181,
            "Alun-alun Cilacap, Jl. Jend. Sudirman, Sidanegara, Cilacap Tengah", null, null, false, 1752545700),
        new("button-reply.json", "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFDNBMDNBQzE5RDhGQjVDMTRBQjQ5AA==", "Ya, kirim", "confirm",
            null, null, null, null, false, 1752545760),
        new("list-reply.json", "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFDNBMDRBQzE5RDhGQjVDMTRBQjQ5AA==", "Jalan & jembatan", "cat:jalan",
            null, null, null, null, false, 1752545800),
        new("template-button.json", "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFDNBMDVBQzE5RDhGQjVDMTRBQjQ5AA==", "Cek status",
            "STATUS_LPR-2507-00042", null, null, null, null, false, 1752545900),
        new("image.json", "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFDNBMDZBQzE5RDhGQjVDMTRBQjQ5AA==", "Tumpukan sampah di TPS Tegalkamulyan",
            null, null, null, "meta-media:1003383421387256", "image/jpeg", false, 1752546000),
        new("sticker.json", "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFDNBMDdBQzE5RDhGQjVDMTRBQjQ5AA==", null, null, null, null, null, null, true, 1752546100),
        new("unsupported.json", "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFDNBMDhBQzE5RDhGQjVDMTRBQjQ5AA==", null, null, null, null, null, null, true, 1752546200),
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Parse_Messages(Case c)
    {
        var batch = Assert.IsType<ParseOutcome<MetaWebhookBatch>.Accepted>(MetaWebhookParser.Parse(TestData.Bytes("meta/" + c.File))).Value;

        var m = Assert.Single(batch.Messages);
        Assert.Empty(batch.Statuses);
        Assert.Equal("meta", m.Channel);
        Assert.Equal(c.Id, m.ProviderMessageId);
        Assert.Equal("6281234567890", m.ChatAddress);
        Assert.Equal("Siti Rahayu", m.ProfileName);
        Assert.Equal(c.Text, m.Text);
        Assert.Equal(c.Payload, m.QuickReplyPayload);
        Assert.Equal(c.Lat, m.Location?.Latitude);
        Assert.Equal(c.Label, m.Location?.Label);
        Assert.Equal(c.Attachment, m.Attachments.SingleOrDefault()?.SourceUrl);
        Assert.Equal(c.AttachmentType, m.Attachments.SingleOrDefault()?.ContentType);
        Assert.Equal(c.Unsupported, m.Unsupported);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(c.Unix), m.ReceivedAt);
    }

    [Fact]
    public void Parse_MatchesEachMessageToItsContact()
    {
        var batch = ((ParseOutcome<MetaWebhookBatch>.Accepted)MetaWebhookParser.Parse(TestData.Bytes("meta/two-messages.json"))).Value;
        Assert.Equal([("6285600001111", "Budi"), ("6281234567890", "Siti Rahayu")],
            batch.Messages.Select(m => (m.ChatAddress, m.ProfileName)));
    }

    [Theory]
    [InlineData("status-read.json", "read", null)]
    [InlineData("status-failed.json", "failed", 131047)]
    public void Parse_Statuses(string file, string status, int? errorCode)
    {
        var batch = ((ParseOutcome<MetaWebhookBatch>.Accepted)MetaWebhookParser.Parse(TestData.Bytes("meta/" + file))).Value;
        var s = Assert.Single(batch.Statuses);
        Assert.Empty(batch.Messages);
        Assert.StartsWith("wamid.", s.MessageId);
        Assert.Equal(status, s.Status);
        Assert.Equal(errorCode, s.ErrorCode);
        Assert.Equal("6281234567890", s.RecipientId);
        Assert.NotNull(s.Timestamp);
    }

    [Theory]
    [InlineData("wrong-object.json")]
    public void Parse_Rejects_OtherObjects(string file) =>
        Assert.IsType<ParseOutcome<MetaWebhookBatch>.Rejected>(MetaWebhookParser.Parse(TestData.Bytes("meta/" + file)));

    [Fact]
    public void Parse_Rejects_Garbage() =>
        Assert.IsType<ParseOutcome<MetaWebhookBatch>.Rejected>(MetaWebhookParser.Parse("{oops"u8));

    [Theory]
    [InlineData("account-update.json")]
    [InlineData("signed-vector.json")]
    public void Parse_Ignores_ChangesWithoutMessagesOrStatuses(string file) =>
        Assert.IsType<ParseOutcome<MetaWebhookBatch>.Ignored>(MetaWebhookParser.Parse(TestData.Bytes("meta/" + file)));
}
