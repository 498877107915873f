using System.Net;
using System.Text.Json;
using LaporBot.Channels;
using LaporBot.Channels.Twilio;
using LaporBot.Tests.Fakes;
using Microsoft.Extensions.Options;

namespace LaporBot.Tests.Channels.Twilio;

public class TwilioClientTests
{
    private const string Sid = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string AuthToken = "twilio-auth-token-secret";
    private const string Citizen = "whatsapp:+6285290082800";

    private readonly RecordingHandler _handler = new();

    private TwilioClient Client(Action<TwilioOptions>? configure = null)
    {
        var options = new TwilioOptions
        {
            AccountSid = Sid, AuthToken = AuthToken, WhatsAppNumber = "+14155238886",
            ApiBaseUrl = "http://127.0.0.1:5999/", StatusCallbackUrl = "https://laporbot.example.id/webhooks/twilio/status",
        };
        configure?.Invoke(options);
        return new TwilioClient(new HttpClient(_handler), Options.Create(options));
    }

    [Fact]
    public async Task SendText_PostsFormWithBasicAuth_AndReturnsSid()
    {
        _handler.Respond(HttpStatusCode.Created, TestData.Text("twilio/message-created.json"));

        var result = await Client().SendTextAsync(Citizen, "Laporan Anda sudah kami terima. Nomor: LPR-2507-00042", CancellationToken.None);

        Assert.Equal(new SendResult.Sent("SM9b0e8c2b9a7d4e6f8a0b1c2d3e4f5a6b"), result);
        var request = _handler.Single();
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal($"/2010-04-01/Accounts/{Sid}/Messages.json", request.Uri.AbsolutePath);
        Assert.Equal("application/x-www-form-urlencoded", request.ContentType);
        Assert.Equal((Sid, AuthToken), request.BasicCredentials());
        Assert.Equal(new Dictionary<string, string>
        {
            ["To"] = Citizen,
            ["From"] = "whatsapp:+14155238886",
            ["StatusCallback"] = "https://laporbot.example.id/webhooks/twilio/status",
            ["Body"] = "Laporan Anda sudah kami terima. Nomor: LPR-2507-00042",
        }, request.Form());
    }

    [Fact]
    public async Task SendText_LeavesOutStatusCallback_WhenNotConfigured()
    {
        _handler.Respond(HttpStatusCode.Created, TestData.Text("twilio/message-created.json"));
        await Client(o => { o.StatusCallbackUrl = ""; o.WhatsAppNumber = "whatsapp:+14155238886"; })
            .SendTextAsync(Citizen, "Halo", CancellationToken.None);

        var form = _handler.Single().Form();
        Assert.False(form.ContainsKey("StatusCallback"));
        Assert.Equal("whatsapp:+14155238886", form["From"]);
    }

    [Fact]
    public async Task SendTemplate_SendsContentSidAndJsonVariables_WithoutBody()
    {
        _handler.Respond(HttpStatusCode.Created, TestData.Text("twilio/message-created.json"));

        var result = await Client().SendTemplateAsync(Citizen, "HXb5b62575e6e4ff6129ad7c8efe1f983e",
            new Dictionary<string, string> { ["1"] = "Siti", ["2"] = "LPR-2507-00042" }, CancellationToken.None);

        Assert.IsType<SendResult.Sent>(result);
        var form = _handler.Single().Form();
        Assert.Equal("HXb5b62575e6e4ff6129ad7c8efe1f983e", form["ContentSid"]);
        Assert.Equal(new Dictionary<string, string> { ["1"] = "Siti", ["2"] = "LPR-2507-00042" },
            JsonSerializer.Deserialize<Dictionary<string, string>>(form["ContentVariables"]));
        Assert.False(form.ContainsKey("Body"));
        Assert.False(form.ContainsKey("MediaUrl"));
    }

    [Fact]
    public async Task SendText_Over1600Characters_IsSentAsSeveralMessages()
    {
        var paragraph = string.Join(' ', Enumerable.Repeat("Tanggapan Dinas PU:", 50)); // 999 chars
        _handler.Respond(HttpStatusCode.Created, TestData.Text("twilio/message-created.json"))
                .Respond(HttpStatusCode.Created, TestData.Text("twilio/message-created.json").Replace("SM9b", "SM9c"));

        var result = await Client().SendTextAsync(Citizen, paragraph + "\n\n" + paragraph, CancellationToken.None);

        Assert.Equal(new SendResult.Sent("SM9c0e8c2b9a7d4e6f8a0b1c2d3e4f5a6b"), result);
        Assert.Equal([paragraph, paragraph], _handler.Requests.Select(r => r.Form()["Body"]));
    }

    [Fact]
    public async Task SendText_TemplateRequiredOnALaterPart_SaysWhichPart()
    {
        _handler.Respond(HttpStatusCode.Created, TestData.Text("twilio/message-created.json"))
                .Respond(HttpStatusCode.BadRequest, TestData.Text("twilio/error-63016.json"));

        var result = await Client().SendTextAsync(Citizen, new string('a', 1600) + " b", CancellationToken.None);

        Assert.StartsWith("part 2 of 2:", Assert.IsType<TemplateRequired>(result).Error);
    }

    public sealed record ErrorCase(string Label, HttpStatusCode Status, string File, Type Expected, bool Unreachable = false, int? RetryAfterSeconds = null)
    {
        public override string ToString() => Label;
    }

    public static TheoryData<ErrorCase> Errors => new()
    {
        new("63016 outside window", HttpStatusCode.BadRequest, "error-63016.json", typeof(TemplateRequired)),
        new("21211 invalid To", HttpStatusCode.BadRequest, "error-21211.json", typeof(SendResult.Permanent), Unreachable: true),
        new("21610 unsubscribed", HttpStatusCode.BadRequest, "error-21610.json", typeof(SendResult.Permanent), Unreachable: true),
        new("63014 blocked", HttpStatusCode.BadRequest, "error-63014.json", typeof(SendResult.Permanent), Unreachable: true),
        new("21608 trial unverified", HttpStatusCode.BadRequest, "error-21608.json", typeof(SendResult.Permanent)),
        new("20003 bad credentials", HttpStatusCode.Unauthorized, "error-20003.json", typeof(SendResult.Permanent)),
        new("20429 rate limited", HttpStatusCode.TooManyRequests, "error-20429.json", typeof(SendResult.Retryable), RetryAfterSeconds: 7),
        new("500 server error", HttpStatusCode.InternalServerError, "error-20500.json", typeof(SendResult.Retryable)),
        new("503 without body", HttpStatusCode.ServiceUnavailable, "", typeof(SendResult.Retryable), RetryAfterSeconds: 30),
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task SendText_MapsErrors(ErrorCase c)
    {
        var body = c.File.Length == 0 ? "" : TestData.Text("twilio/" + c.File);
        _handler.Respond(c.Status, body, configure: r =>
        {
            if (c.RetryAfterSeconds is int s)
                r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(s));
        });

        var result = await Client().SendTextAsync(Citizen, "Halo", CancellationToken.None);

        Assert.IsType(c.Expected, result);
        if (result is SendResult.Permanent p)
            Assert.Equal(c.Unreachable, p.RecipientUnreachable);
        if (result is SendResult.Retryable r)
            Assert.Equal(c.RetryAfterSeconds is int s ? TimeSpan.FromSeconds(s) : null, r.RetryAfter);
    }

    [Fact]
    public async Task SendText_ErrorText_CarriesCodeButNoPhoneNumber()
    {
        _handler.Respond(HttpStatusCode.BadRequest, TestData.Text("twilio/error-21608.json"));
        var result = (SendResult.Permanent)await Client().SendTextAsync(Citizen, "Halo", CancellationToken.None);
        Assert.Contains("21608", result.Error);
        Assert.DoesNotContain("6285290082800", result.Error);
    }

    [Fact]
    public async Task SendText_RetryAfterAsHttpDate_IsConvertedToADelay()
    {
        var time = new FixedTime(new DateTimeOffset(2025, 7, 15, 2, 0, 0, TimeSpan.Zero));
        _handler.Respond(HttpStatusCode.TooManyRequests, "", configure: r =>
            r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(time.GetUtcNow().AddSeconds(90)));
        var client = new TwilioClient(new HttpClient(_handler), Options.Create(new TwilioOptions { ApiBaseUrl = "http://127.0.0.1:5999" }), time);

        var result = await client.SendTextAsync(Citizen, "Halo", CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(90), Assert.IsType<SendResult.Retryable>(result).RetryAfter);
    }

    [Fact]
    public async Task SendText_Timeout_IsRetryable()
    {
        _handler.Throw(new TaskCanceledException("timed out", new TimeoutException()));
        var result = await Client().SendTextAsync(Citizen, "Halo", CancellationToken.None);
        Assert.Equal("timeout", Assert.IsType<SendResult.Retryable>(result).Error);
    }

    [Fact]
    public async Task SendText_NetworkError_IsRetryable()
    {
        _handler.Throw(new HttpRequestException("Connection refused (127.0.0.1:5999)"));
        Assert.IsType<SendResult.Retryable>(await Client().SendTextAsync(Citizen, "Halo", CancellationToken.None));
    }

    [Fact]
    public async Task SendText_CallerCancellation_Propagates()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        _handler.Throw(new TaskCanceledException());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client().SendTextAsync(Citizen, "Halo", cts.Token));
    }

    [Fact]
    public async Task DefaultBaseUrl_IsTwilio_AndTheTestHandlerRefusesIt()
    {
        // Proves both the default and that a test cannot reach the internet by accident.
        var client = new TwilioClient(new HttpClient(_handler), Options.Create(new TwilioOptions { AccountSid = Sid }));
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.SendTextAsync(Citizen, "Halo", CancellationToken.None));
    }

    private static string MediaUrl => $"http://127.0.0.1:5999/2010-04-01/Accounts/{Sid}/Messages/MM3b/Media/ME0a";

    [Fact]
    public async Task DownloadMedia_UsesBasicAuth_AndReturnsBytes()
    {
        _handler.RespondBytes(HttpStatusCode.OK, [1, 2, 3], "image/jpeg");

        var result = await Client().DownloadMediaAsync(MediaUrl, null, CancellationToken.None);

        var ok = Assert.IsType<MediaDownload.Downloaded>(result);
        Assert.Equal(new byte[] { 1, 2, 3 }, ok.Content);
        Assert.Equal("image/jpeg", ok.ContentType);
        Assert.Equal(HttpMethod.Get, _handler.Single().Method);
        Assert.Equal((Sid, AuthToken), _handler.Single().BasicCredentials());
    }

    [Theory]
    [InlineData("text/html", 10, null, "not allowed")]
    [InlineData(null, 10, null, "not allowed")]
    [InlineData("image/jpeg", 100, 100L, "limit")]   // announced too large
    [InlineData("image/jpeg", 100, null, "limit")]   // no Content-Length, body too large
    public async Task DownloadMedia_RefusesWrongTypeOrTooLarge(string? type, int size, long? announced, string error)
    {
        _handler.RespondBytes(HttpStatusCode.OK, new byte[size], type, announced);
        var result = await Client(o => o.MaxMediaBytes = 50).DownloadMediaAsync(MediaUrl, null, CancellationToken.None);
        var failed = Assert.IsType<MediaDownload.Failed>(result);
        Assert.Contains(error, failed.Error);
        Assert.False(failed.Retryable);
    }

    [Fact]
    public async Task DownloadMedia_NeverSendsCredentialsToAnotherHost()
    {
        var result = await Client().DownloadMediaAsync("http://localhost:5999/evil", null, CancellationToken.None);
        Assert.IsType<MediaDownload.Failed>(result);
        Assert.Empty(_handler.Requests);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    public async Task DownloadMedia_HttpErrors(HttpStatusCode status, bool retryable)
    {
        _handler.Respond(status);
        var failed = Assert.IsType<MediaDownload.Failed>(await Client().DownloadMediaAsync(MediaUrl, null, CancellationToken.None));
        Assert.Equal(retryable, failed.Retryable);
    }
}
