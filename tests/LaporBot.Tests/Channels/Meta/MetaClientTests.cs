using System.Net;
using LaporBot.Channels;
using LaporBot.Channels.Meta;
using LaporBot.Tests.Fakes;
using Microsoft.Extensions.Options;

namespace LaporBot.Tests.Channels.Meta;

public class MetaClientTests
{
    private const string AccessToken = "EAAGm0PX4ZCpsBA-test-token";
    private const string Citizen = "6281234567890";

    private readonly RecordingHandler _handler = new();

    private MetaClient Client() => new(new HttpClient(_handler), Options.Create(new MetaOptions
    {
        AccessToken = AccessToken, PhoneNumberId = "106540352242922", ApiVersion = "v26.0", ApiBaseUrl = "http://127.0.0.1:5997",
    }));

    [Fact]
    public async Task SendText_PostsJsonWithBearerToken_AndReturnsWamid()
    {
        _handler.Respond(HttpStatusCode.OK, TestData.Text("meta/send-ok.json"));

        var result = await Client().SendTextAsync(Citizen, "Laporan Anda sudah kami terima. Nomor: LPR-2507-00042", null, CancellationToken.None);

        Assert.Equal(new SendResult.Sent("wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjdCQUQ4QzFBQjk0RkE1RTNFMAA="), result);
        var request = _handler.Single();
        Assert.Equal("/v26.0/106540352242922/messages", request.Uri.AbsolutePath);
        Assert.Equal("Bearer", request.Authorization?.Scheme);
        Assert.Equal(AccessToken, request.Authorization?.Parameter);
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal("""{"messaging_product":"whatsapp","recipient_type":"individual","to":"6281234567890","type":"text","text":{"preview_url":false,"body":"Laporan Anda sudah kami terima. Nomor: LPR-2507-00042"}}""", request.Body);
    }

    [Fact]
    public async Task SendText_WithReplyTo_AddsContext()
    {
        _handler.Respond(HttpStatusCode.OK, TestData.Text("meta/send-ok.json"));
        await Client().SendTextAsync(Citizen, "Baik", "wamid.ABC", CancellationToken.None);
        Assert.Equal("""{"message_id":"wamid.ABC"}""", _handler.Single().Json().GetProperty("context").GetRawText());
    }

    [Fact]
    public async Task SendText_Over4096Characters_IsSplit_WithContextOnlyOnTheFirstPart()
    {
        _handler.Respond(HttpStatusCode.OK, TestData.Text("meta/send-ok.json")).Respond(HttpStatusCode.OK, TestData.Text("meta/send-ok.json"));

        await Client().SendTextAsync(Citizen, new string('a', 3000) + "\n" + new string('b', 3000), "wamid.ABC", CancellationToken.None);

        var bodies = _handler.Requests.Select(r => r.Json()).ToList();
        Assert.Equal(2, bodies.Count);
        Assert.Equal(new string('b', 3000), bodies[1].GetProperty("text").GetProperty("body").GetString());
        Assert.True(bodies[0].TryGetProperty("context", out _));
        Assert.False(bodies[1].TryGetProperty("context", out _));
    }

    [Fact]
    public async Task SendText_Empty_IsPermanentWithoutACall()
    {
        Assert.IsType<SendResult.Permanent>(await Client().SendTextAsync(Citizen, " ", null, CancellationToken.None));
        Assert.Empty(_handler.Requests);
    }

    [Fact]
    public async Task SendReplyButtons_SendsInteractiveButtonPayload()
    {
        _handler.Respond(HttpStatusCode.OK, TestData.Text("meta/send-ok.json"));

        await Client().SendReplyButtonsAsync(Citizen, "Kirim laporan ini?",
            [new("confirm", "Ya, kirim"), new("edit", "Ubah"), new("cancel", "Batal")], "LaporBot Cilacap", CancellationToken.None);

        Assert.Equal("""{"type":"button","body":{"text":"Kirim laporan ini?"},"footer":{"text":"LaporBot Cilacap"},"action":{"buttons":[{"type":"reply","reply":{"id":"confirm","title":"Ya, kirim"}},{"type":"reply","reply":{"id":"edit","title":"Ubah"}},{"type":"reply","reply":{"id":"cancel","title":"Batal"}}]}}""",
            _handler.Single().Json().GetProperty("interactive").GetRawText());
        Assert.Equal("interactive", _handler.Single().Json().GetProperty("type").GetString());
    }

    // Buttons as "id=title" pairs so the theory data stays public-typed.
    [Theory]
    [InlineData("none")]
    [InlineData("four", "a=A", "b=B", "c=C", "d=D")]
    [InlineData("title of 21 characters", "a=Laporkan jalan rusak!")]
    [InlineData("empty title", "a=")]
    [InlineData("duplicate titles", "a=Ya", "b=Ya")]
    [InlineData("empty id", "=Ya")]
    public async Task SendReplyButtons_RefusesInvalidButtons(string label, params string[] pairs)
    {
        var buttons = pairs.Select(p => p.Split('=')).Select(p => new MetaReplyButton(p[0], p[1])).ToList();
        await Assert.ThrowsAsync<ArgumentException>(() => Client().SendReplyButtonsAsync(Citizen, "Pilih", buttons, null, CancellationToken.None));
        Assert.Empty(_handler.Requests);
        Assert.NotNull(label);
    }

    [Fact]
    public async Task SendTemplate_SendsNameLanguageAndBodyParameters()
    {
        _handler.Respond(HttpStatusCode.OK, TestData.Text("meta/send-ok.json"));

        await Client().SendTemplateAsync(Citizen, "laporan_ditanggapi", "id", ["Siti", "LPR-2507-00042"], CancellationToken.None);

        var json = _handler.Single().Json();
        Assert.Equal("template", json.GetProperty("type").GetString());
        Assert.Equal("""{"name":"laporan_ditanggapi","language":{"code":"id"},"components":[{"type":"body","parameters":[{"type":"text","text":"Siti"},{"type":"text","text":"LPR-2507-00042"}]}]}""",
            json.GetProperty("template").GetRawText());
    }

    [Fact]
    public async Task SendTemplate_WithoutParameters_LeavesOutComponents()
    {
        _handler.Respond(HttpStatusCode.OK, TestData.Text("meta/send-ok.json"));
        await Client().SendTemplateAsync(Citizen, "hello_world", "en_US", [], CancellationToken.None);
        Assert.False(_handler.Single().Json().GetProperty("template").TryGetProperty("components", out _));
    }

    public sealed record ErrorCase(string Label, HttpStatusCode Status, string File, Type Expected, bool Unreachable = false)
    {
        public override string ToString() => Label;
    }

    public static TheoryData<ErrorCase> Errors => new()
    {
        new("131047 outside 24h", HttpStatusCode.BadRequest, "error-131047.json", typeof(TemplateRequired)),
        new("130429 throughput", HttpStatusCode.BadRequest, "error-130429.json", typeof(SendResult.Retryable)),
        new("131056 pair rate", HttpStatusCode.BadRequest, "error-131056.json", typeof(SendResult.Retryable)),
        new("131026 undeliverable", HttpStatusCode.BadRequest, "error-131026.json", typeof(SendResult.Permanent), Unreachable: true),
        new("100 invalid to", HttpStatusCode.BadRequest, "error-100.json", typeof(SendResult.Permanent)),
        new("190 expired token", HttpStatusCode.Unauthorized, "error-190.json", typeof(SendResult.Permanent)),
        new("131000 on 500", HttpStatusCode.InternalServerError, "error-131000.json", typeof(SendResult.Retryable)),
        new("429 without body", HttpStatusCode.TooManyRequests, "", typeof(SendResult.Retryable)),
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task Send_MapsErrors(ErrorCase c)
    {
        _handler.Respond(c.Status, c.File.Length == 0 ? "" : TestData.Text("meta/" + c.File));

        var result = await Client().SendTextAsync(Citizen, "Halo", null, CancellationToken.None);

        Assert.IsType(c.Expected, result);
        if (result is SendResult.Permanent p)
            Assert.Equal(c.Unreachable, p.RecipientUnreachable);
    }

    [Fact]
    public async Task Send_ErrorText_KeepsCodeAndDetails_ButMasksPhoneNumbers()
    {
        _handler.Respond(HttpStatusCode.BadRequest, TestData.Text("meta/error-131047.json").Replace("this number", "+6281234567890"));
        var result = (TemplateRequired)await Client().SendTextAsync(Citizen, "Halo", null, CancellationToken.None);
        Assert.Contains("131047", result.Error);
        Assert.Contains("24 hours", result.Error);
        Assert.DoesNotContain("6281234567890", result.Error);
    }

    [Fact]
    public async Task Send_Timeout_IsRetryable()
    {
        _handler.Throw(new TaskCanceledException("timeout", new TimeoutException()));
        Assert.IsType<SendResult.Retryable>(await Client().SendTextAsync(Citizen, "Halo", null, CancellationToken.None));
    }

    [Fact]
    public async Task DefaultBaseUrl_IsGraph_AndTheTestHandlerRefusesIt()
    {
        var client = new MetaClient(new HttpClient(_handler), Options.Create(new MetaOptions { PhoneNumberId = "1" }));
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.SendTextAsync(Citizen, "Halo", null, CancellationToken.None));
    }

    private const string MediaInfo =
        """{"messaging_product":"whatsapp","url":"http://127.0.0.1:5997/whatsapp_business/attachments/?mid=1003383421387256&ext=1752546300&hash=ATt","mime_type":"image/jpeg","sha256":"c4rLzTrUXcDFm8aFoVqHQvyC7FYgMBnYpWaa6Jv0KnE=","file_size":"4","id":"1003383421387256"}""";

    [Fact]
    public async Task DownloadMedia_LooksUpTheUrl_ThenFetchesIt_BothWithTheBearerToken()
    {
        _handler.Respond(HttpStatusCode.OK, MediaInfo).RespondBytes(HttpStatusCode.OK, [1, 2, 3, 4], "image/jpeg");

        var result = await Client().DownloadMediaAsync("1003383421387256", "image/jpeg", null, CancellationToken.None);

        var d = Assert.IsType<MediaDownload.Downloaded>(result);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, d.Content);
        Assert.Equal("image/jpeg", d.ContentType);
        Assert.Collection(_handler.Requests,
            r => Assert.Equal("/v26.0/1003383421387256", r.Uri.AbsolutePath),
            r => Assert.Equal("/whatsapp_business/attachments/", r.Uri.AbsolutePath));
        Assert.All(_handler.Requests, r =>
        {
            Assert.Equal(HttpMethod.Get, r.Method);
            Assert.Equal("Bearer", r.Authorization?.Scheme);
            Assert.Equal(AccessToken, r.Authorization?.Parameter);
        });
    }

    [Fact]
    public async Task DownloadMedia_UsesTheLookupMimeType_WhenTheFileIsOctetStream()
    {
        _handler.Respond(HttpStatusCode.OK, MediaInfo).RespondBytes(HttpStatusCode.OK, [1, 2, 3, 4], "application/octet-stream");
        var d = Assert.IsType<MediaDownload.Downloaded>(await Client().DownloadMediaAsync("1003383421387256", null, null, CancellationToken.None));
        Assert.Equal("image/jpeg", d.ContentType);
    }

    public sealed record MediaFailure(string Label, string LookupBody, HttpStatusCode LookupStatus, int Requests, bool Retryable)
    {
        public override string ToString() => Label;
    }

    public static TheoryData<MediaFailure> MediaFailures => new()
    {
        // The token must never go to a host we did not configure.
        new("foreign host", MediaInfo.Replace("http://127.0.0.1:5997", "https://attacker.example"), HttpStatusCode.OK, 1, false),
        new("configured media host over plain http", MediaInfo.Replace("http://127.0.0.1:5997", "http://lookaside.fbsbx.com"), HttpStatusCode.OK, 1, false),
        new("no url", """{"messaging_product":"whatsapp","id":"1"}""", HttpStatusCode.OK, 1, false),
        new("too large", MediaInfo.Replace("\"file_size\":\"4\"", "\"file_size\":999999999"), HttpStatusCode.OK, 1, false),
        new("expired id", TestData.Text("meta/error-100.json"), HttpStatusCode.BadRequest, 1, false),
        new("lookup 500", TestData.Text("meta/error-131000.json"), HttpStatusCode.InternalServerError, 1, true),
    };

    [Theory]
    [MemberData(nameof(MediaFailures))]
    public async Task DownloadMedia_Fails_WithoutFetchingOrLeakingTheToken(MediaFailure c)
    {
        _handler.Respond(c.LookupStatus, c.LookupBody);

        var result = await Client().DownloadMediaAsync("1003383421387256", "image/jpeg", null, CancellationToken.None);

        var f = Assert.IsType<MediaDownload.Failed>(result);
        Assert.Equal(c.Retryable, f.Retryable);
        Assert.Equal(c.Requests, _handler.Requests.Count);
        Assert.DoesNotContain(AccessToken, f.Error);
    }

    [Fact]
    public async Task DownloadMedia_RefusesTypesOutsideTheAllowList()
    {
        _handler.Respond(HttpStatusCode.OK, MediaInfo).RespondBytes(HttpStatusCode.OK, "<html>"u8.ToArray(), "text/html");
        var f = Assert.IsType<MediaDownload.Failed>(await Client().DownloadMediaAsync("1003383421387256", "image/jpeg", null, CancellationToken.None));
        Assert.Contains("text/html", f.Error);
    }

    [Fact]
    public async Task DownloadMedia_AllowsConfiguredMediaHostsOverHttps()
    {
        var handler = new HostRecordingHandler();
        var client = new MetaClient(new HttpClient(handler), Options.Create(new MetaOptions
        {
            AccessToken = AccessToken, ApiBaseUrl = "http://127.0.0.1:5997", MediaHosts = "lookaside.fbsbx.com",
        }));

        await client.DownloadMediaAsync("1003383421387256", "image/jpeg", null, CancellationToken.None);

        // The second request goes to the media host (answered by the stub, never the network).
        Assert.Equal(["127.0.0.1", "lookaside.fbsbx.com"], handler.Hosts);
        Assert.All(handler.Tokens, t => Assert.Equal(AccessToken, t));
    }

    /// <summary>Answers the lookup with a lookaside URL and the file itself, without any network.</summary>
    private sealed class HostRecordingHandler : HttpMessageHandler
    {
        public List<string> Hosts { get; } = [];
        public List<string?> Tokens { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Hosts.Add(request.RequestUri!.Host);
            Tokens.Add(request.Headers.Authorization?.Parameter);
            var response = Hosts.Count == 1
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(MediaInfo.Replace("http://127.0.0.1:5997", "https://lookaside.fbsbx.com")) }
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([1, 2, 3, 4]) };
            if (Hosts.Count > 1)
                response.Content.Headers.ContentType = new("image/jpeg");
            return Task.FromResult(response);
        }
    }
}
