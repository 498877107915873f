using System.Net;
using LaporBot.Privacy;
using LaporBot.Tests.Fakes;
using LaporBot.Tests.Routing;
using LaporBot.Tests.Reports;

namespace LaporBot.Tests.Privacy;

/// <summary>Every kind of staff view of a case's personal data is on record, and can be read back.</summary>
public abstract class AccessLogTests : IAsyncLifetime
{
    private readonly RecapKit _kit;

    private protected AccessLogTests(RecapKit kit) => _kit = kit;

    public sealed class OnSqlite() : AccessLogTests(new RecapKit());

    public sealed class OnPostgres() : AccessLogTests(new PostgresRecapKit());

    public Task InitializeAsync() => _kit.InitializeAsync();

    private string DbPath => _kit.App.DatabasePath;

    private Task<List<(string Staff, string Via, string Number, string Purpose, string? Detail)>> EntriesAsync() =>
        Db.QueryAsync<(string, string, string, string, string?)>(DbPath,
            """
            SELECT a.staff, a.via, c.tracking_number, a.purpose, a.detail FROM personal_data_access a
            JOIN complaints c ON c.id = a.complaint_id ORDER BY a.id
            """);

    private async Task<string> PageAsync(string url, string role)
    {
        var r = await _kit.Http.SendAsync(_kit.Get(url, role));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return await r.Content.ReadAsStringAsync();
    }

    [SkippableFact]
    public async Task Opening_a_case_page_is_recorded_and_operators_see_the_cases_access_log()
    {
        _kit.SkipIfUnavailable();
        var viewerPage = await PageAsync($"/status/aduan/{_kit.A}", "viewer");
        var operatorPage = await PageAsync($"/status/aduan/{_kit.A}", "operator");

        Assert.Equal(
            [("petugas-viewer", AccessLog.StatusPage, _kit.A, "membuka halaman aduan", null), ("petugas-operator", AccessLog.StatusPage, _kit.A, "membuka halaman aduan", null)],
            await EntriesAsync());
        Assert.DoesNotContain("id=\"access-log\"", viewerPage);
        Assert.Contains("id=\"access-log\"", operatorPage);
        Assert.Contains("petugas-viewer", operatorPage);
        Assert.Contains("halaman status", operatorPage);
    }

    [SkippableFact]
    public async Task An_export_with_identities_asks_for_a_reason_and_records_each_case_shown_while_a_masked_one_records_nothing()
    {
        _kit.SkipIfUnavailable();
        const string july = "/status/rekap/unduh?periode=2025-07&format=csv";
        var masked = await _kit.Http.SendAsync(_kit.Get(july, "operator"));
        var noReason = await _kit.Http.SendAsync(_kit.Get(july + "&identitas=1", "operator"));
        var blankReason = await _kit.Http.SendAsync(_kit.Get(july + "&identitas=1&alasan=%20%20", "operator"));

        Assert.Equal(HttpStatusCode.OK, masked.StatusCode);
        Assert.DoesNotContain("Budi Santoso", await masked.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("alasan", await noReason.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, blankReason.StatusCode);
        Assert.Empty(await EntriesAsync());

        var shown = await _kit.Http.SendAsync(_kit.Get(july + "&identitas=1&alasan=Permintaan+Ombudsman+No.+12", "operator"));

        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Contains("Budi Santoso", await shown.Content.ReadAsStringAsync());
        // A, B and D were shown with identities; C is confidential and stayed masked.
        Assert.Equal(
            new[] { _kit.A, _kit.B, _kit.D }.Select(n => ("petugas-operator", AccessLog.Export, n, "Permintaan Ombudsman No. 12", (string?)"rekap 2025-07")),
            await EntriesAsync());
    }

    [SkippableFact]
    public async Task The_cli_lists_one_reporters_accesses_by_chat_address_or_tracking_number()
    {
        _kit.SkipIfUnavailable();
        await PageAsync($"/status/aduan/{_kit.A}", "operator");
        await PageAsync($"/status/aduan/{_kit.B}", "viewer");
        await _kit.Http.SendAsync(_kit.Get("/status/rekap/unduh?periode=2025-07&format=csv&identitas=1&alasan=audit+BPK", "operator"));

        var (code, output, _) = await CliAsync("accesses", RecapKit.Reporters[0].Citizen);
        var (code2, byNumber, _) = await CliAsync("accesses", _kit.A.ToLowerInvariant());
        var (unknown, _, error) = await CliAsync("accesses", "whatsapp:+620000");

        Assert.Equal(0, code);
        Assert.Contains($"petugas-operator\tstatus_page\t{_kit.A}\tmembuka halaman aduan", output);
        Assert.Contains($"petugas-operator\texport\t{_kit.A}\taudit BPK\trekap 2025-07", output);
        Assert.DoesNotContain(_kit.B, output); // B belongs to another reporter
        Assert.Contains("2 access(es) recorded.", output);
        Assert.Equal(0, code2);
        Assert.Equal(output, byNumber);
        Assert.Equal(1, unknown);
        Assert.Contains("No reporter", error);
    }

    [SkippableFact]
    public async Task The_breach_listing_names_the_reporters_whose_data_was_held_in_the_window_with_their_channel()
    {
        _kit.SkipIfUnavailable();
        var (code, output, _) = await CliAsync("breach", "--from", "2025-07-01", "--to", "2025-07-31", "--data", "cases");
        var (before, none, _) = await CliAsync("breach", "--from", "2025-06-01", "--to", "2025-06-30");
        var (bad, _, error) = await CliAsync("breach", "--from", "2025-07-31", "--to", "2025-07-01");

        Assert.Equal(0, code);
        foreach (var (citizen, _, _, _) in RecapKit.Reporters)
        {
            Assert.Contains($"\tsimulator\t{citizen}\tkasus\t", output);
        }
        Assert.Contains("4 reporter(s); 4 reachable by chat.", output);
        Assert.Equal(0, before);
        Assert.Contains("0 reporter(s)", none); // nothing was stored before July
        Assert.Equal(2, bad);
        Assert.Contains("--from and --to", error);
        // Listing contact addresses is itself on record.
        Assert.Equal(4, await Db.ScalarAsync<long>(DbPath, "SELECT COUNT(*) FROM personal_data_access WHERE via = 'cli'"));
    }

    private async Task<(int Code, string Out, string Err)> CliAsync(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = await PrivacyCli.RunAsync(_kit.App.Services, args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    public async Task DisposeAsync() => await _kit.DisposeAsync();
}

public sealed class TelegramViewAccessTests
{
    [Fact]
    public async Task Lihat_on_telegram_is_recorded_with_the_staff_members_id()
    {
        await using var kit = await RoutingKit.StartAsync();
        var number = await kit.FileComplaintAsync("Sampah menumpuk di TPS Jl. Kenanga sudah seminggu tidak diangkut");
        await kit.WaitForStatusAsync(number, "assigned");

        await kit.SayAsync(RoutingKit.DlhAdmin, $"/lihat {number}");
        await kit.WaitForMessageAsync(RoutingKit.DlhAdmin, "Riwayat:");

        var entries = await Db.QueryAsync<(string Staff, string Via, string Purpose)>(kit.DatabasePath,
            "SELECT a.staff, a.via, a.purpose FROM personal_data_access a JOIN complaints c ON c.id = a.complaint_id WHERE c.tracking_number = @number",
            new { number });
        Assert.Equal([($"telegram:{RoutingKit.DlhAdmin}", AccessLog.Telegram, "/lihat")], entries);
    }

    [Fact]
    public async Task An_agency_card_has_no_chat_address_of_the_citizen_the_triage_desks_card_does()
    {
        await using var kit = await RoutingKit.StartAsync();
        var number = await kit.FileComplaintAsync("Sampah menumpuk di TPS Jl. Kenanga sudah seminggu tidak diangkut");
        await kit.WaitForStatusAsync(number, "assigned");
        var address = RoutingKit.Citizen.ToString(System.Globalization.CultureInfo.InvariantCulture);

        await kit.SayAsync(RoutingKit.DlhAdmin, $"/lihat {number}");
        var agencyCard = (await kit.WaitForMessageAsync(RoutingKit.DlhAdmin, "Riwayat:")).GetProperty("text").GetString()!;
        Assert.Contains(number, agencyCard);
        Assert.DoesNotContain(address, agencyCard);
        Assert.DoesNotContain("Kontak:", agencyCard);

        await kit.SayAsync(RoutingKit.Triage, $"/lihat {number}");
        var triageCard = (await kit.WaitForMessageAsync(RoutingKit.Triage, "Riwayat:")).GetProperty("text").GetString()!;
        Assert.Contains($"Kontak: Telegram {address}", triageCard);
    }
}
