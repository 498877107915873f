using System.Net;
using LaporBot.Channels;
using LaporBot.Channels.Meta;
using LaporBot.Tests.Fakes;
using Microsoft.Extensions.Options;

namespace LaporBot.Tests.Channels.Meta;

/// <summary>WhatsApp's 24-hour customer service window and the shapes MetaChannel chooses; on SQLite and on PostgreSQL.</summary>
public abstract class MetaChannelTests
{
    private protected abstract Backend Backend { get; }

    public sealed class OnSqlite : MetaChannelTests
    {
        private protected override Backend Backend => Backend.Sqlite;
    }

    public sealed class OnPostgres : MetaChannelTests
    {
        private protected override Backend Backend => Backend.Postgres;
    }

    private static readonly DateTimeOffset Start = new(2026, 11, 15, 10, 0, 0, TimeSpan.FromHours(7));

    /// <summary>The citizen says "halo" at <see cref="Start"/>; the reply waits in the outbox (delivery is driven by hand).</summary>
    private async Task<(MetaHarness H, ManualClock Clock)> CitizenWroteAsync(IDictionary<string, string?>? settings = null)
    {
        var clock = new ManualClock(Start);
        var h = await MetaHarness.StartAsync(settings, clock, backend: Backend);
        await h.SayAsync("wamid.w1", "halo");
        return (h, clock);
    }

    [SkippableFact]
    public async Task Reply_to_a_citizen_silent_for_25_hours_goes_out_as_the_template()
    {
        var (h, clock) = await CitizenWroteAsync();
        await using var _ = h;
        clock.Advance(TimeSpan.FromHours(25));

        Assert.Equal(1, await h.DispatchOnceAsync());

        var send = Assert.Single(h.Graph.Sends);
        // What WhatsApp shows: the dialog's markup as *bold* text.
        var body = LaporBot.Channels.Markup.ToWhatsApp(await Db.ScalarAsync<string>(h.DatabasePath, "SELECT body FROM outbox"), LaporBot.Channels.TextFormat.Markup);
        Assert.Contains("\n", body); // the template parameter below is the same text on one line
        Assert.Equal(
            $$$"""{"messaging_product":"whatsapp","recipient_type":"individual","to":"{{{MetaHarness.Citizen}}}","type":"template","template":{"name":"laporbot_pemberitahuan","language":{"code":"id"},"components":[{"type":"body","parameters":[{"type":"text","text":{{{System.Text.Json.JsonSerializer.Serialize(MetaChannel.TemplateParameter(body))}}}}]}]}}""",
            send.Body);
        Assert.StartsWith("Halo! Selamat datang di layanan pengaduan masyarakat. Kami akan", MetaChannel.TemplateParameter(body));
        Assert.Equal("sent", await Db.ScalarAsync<string>(h.DatabasePath, "SELECT status FROM outbox"));
    }

    [SkippableFact]
    public async Task Reply_inside_the_window_is_free_form()
    {
        var (h, clock) = await CitizenWroteAsync();
        await using var _ = h;
        clock.Advance(TimeSpan.FromHours(23));

        await h.DispatchOnceAsync();

        Assert.Equal("interactive", Assert.Single(h.Graph.Sends).Json().GetProperty("type").GetString()); // the profile-name offer
    }

    [SkippableFact]
    public async Task Error_131047_on_a_free_form_send_is_retried_as_the_template()
    {
        var (h, _) = await CitizenWroteAsync();
        await using var __ = h;
        h.Graph.FailNextSend(json => json.GetProperty("type").GetString() != "template", 400, TestData.Text("meta/error-131047.json"));

        await h.DispatchOnceAsync();

        Assert.Equal(["interactive", "template"], h.Graph.Sends.Select(s => s.Json().GetProperty("type").GetString()));
        var (status, providerId) = (await Db.QueryAsync<(string, string)>(h.DatabasePath, "SELECT status, provider_message_id FROM outbox")).Single();
        Assert.Equal(("sent", "wamid.fake0001"), (status, providerId));
    }

    [SkippableFact]
    public async Task Without_a_template_the_message_is_dead_with_a_readable_error()
    {
        var (h, clock) = await CitizenWroteAsync(new Dictionary<string, string?> { ["Meta:TemplateName"] = "" });
        await using var _ = h;
        clock.Advance(TimeSpan.FromHours(25));

        await h.DispatchOnceAsync();

        Assert.Empty(h.Graph.Sends); // free text would only be refused with 131047
        var (status, error) = (await Db.QueryAsync<(string, string)>(h.DatabasePath, "SELECT status, last_error FROM outbox")).Single();
        Assert.Equal("dead", status);
        Assert.Equal("outside the 24-hour window and no template is configured: the citizen last wrote more than 24 hours ago; " +
                     "set Meta:TemplateName to an approved template to reach them", error);
    }

    [SkippableFact]
    public async Task Without_a_template_131047_makes_the_message_dead_with_Metas_reason()
    {
        var (h, _) = await CitizenWroteAsync(new Dictionary<string, string?> { ["Meta:TemplateName"] = "" });
        await using var __ = h;
        h.Graph.FailNextSend(_ => true, 400, TestData.Text("meta/error-131047.json"));

        await h.DispatchOnceAsync();

        var (status, error) = (await Db.QueryAsync<(string, string)>(h.DatabasePath, "SELECT status, last_error FROM outbox")).Single();
        Assert.Equal("dead", status);
        Assert.Contains("Meta 131047", error);
        Assert.Contains("Meta:TemplateName", error);
    }

    // ---- shapes, without the app ----

    private readonly RecordingHandler _handler = new();

    private MetaChannel Channel(string template = "laporbot_pemberitahuan") => new(
        new MetaClient(new HttpClient(_handler), Options.Create(new MetaOptions
        {
            AccessToken = "t", PhoneNumberId = "106540352242922", ApiBaseUrl = "http://127.0.0.1:5996", TemplateName = template,
        })),
        Options.Create(new MetaOptions { Enabled = true, TemplateName = template, TemplateLanguage = "id" }),
        new FixedTime(Start));

    private static OutboundMessage Message(string text, params string[] quickReplies) =>
        new(1, "meta", MetaHarness.Citizen, text, quickReplies, Start.AddMinutes(-1), 1);

    [SkippableTheory]
    [InlineData("text", "none")]
    [InlineData("interactive", "three", "Ya", "Tidak", "Ubah")]
    [InlineData("interactive", "one", "Ya")]
    [InlineData("text", "four", "A", "B", "C", "D")]
    [InlineData("text", "a title over 20 characters", "Ya", "Laporkan jalan rusak!")]
    [InlineData("text", "duplicate titles", "Ya", "Ya")]
    [InlineData("text", "blank title", "Ya", " ")]
    public async Task Quick_replies_become_buttons_only_when_WhatsApp_accepts_them(string type, string label, params string[] quickReplies)
    {
        _handler.Respond(HttpStatusCode.OK, TestData.Text("meta/send-ok.json"));

        Assert.IsType<SendResult.Sent>(await Channel().SendAsync(Message("Kirim sekarang?", quickReplies), CancellationToken.None));

        Assert.Equal(type, _handler.Single().Json().GetProperty("type").GetString());
        Assert.NotNull(label);
    }

    [SkippableFact]
    public async Task A_body_over_1024_characters_is_sent_as_text_even_with_quick_replies()
    {
        _handler.Respond(HttpStatusCode.OK, TestData.Text("meta/send-ok.json"));
        await Channel().SendAsync(Message(new string('a', 1025), "Ya", "Tidak"), CancellationToken.None);
        Assert.Equal("text", _handler.Single().Json().GetProperty("type").GetString());
    }

    [SkippableFact]
    public async Task Without_a_last_inbound_time_the_template_is_used()
    {
        _handler.Respond(HttpStatusCode.OK, TestData.Text("meta/send-ok.json"));
        await Channel().SendAsync(Message("Halo") with { LastInboundAt = null }, CancellationToken.None);
        Assert.Equal("template", _handler.Single().Json().GetProperty("type").GetString());
    }

    [SkippableFact]
    public async Task The_window_closes_five_minutes_early()
    {
        _handler.Respond(HttpStatusCode.OK, TestData.Text("meta/send-ok.json"));
        await Channel().SendAsync(Message("Halo") with { LastInboundAt = Start - TimeSpan.FromHours(24) + TimeSpan.FromMinutes(4) }, CancellationToken.None);
        Assert.Equal("template", _handler.Single().Json().GetProperty("type").GetString());
    }

    [SkippableTheory]
    [InlineData("Aduan Anda sudah kami terima.\nSimpan nomor ini.", "Aduan Anda sudah kami terima. Simpan nomor ini.")]
    [InlineData("a\t\tb      c\r\n\r\nd ", "a b c d")]
    public void Template_parameters_have_no_new_lines_tabs_or_runs_of_spaces(string text, string expected) =>
        Assert.Equal(expected, MetaChannel.TemplateParameter(text));

    [SkippableFact]
    public void Template_parameters_are_capped_at_1000_characters_with_an_ellipsis()
    {
        var p = MetaChannel.TemplateParameter(new string('a', 998) + "😀" + new string('b', 10));
        Assert.Equal(new string('a', 998) + "…", p); // never half an emoji
        Assert.True(p.Length <= WhatsAppWindow.MaxTemplateText);
    }
}
