using LaporBot.Tests.Reports;
using System.Net;
using LaporBot.Tests.Fakes;
using Microsoft.Data.Sqlite;

namespace LaporBot.Tests.StatusPage;

/// <summary>Public tracking: status, dates and answer for anyone with the number; no personal data for anyone.</summary>
public class TrackingTests(RecapKit kit) : IClassFixture<RecapKit>
{
    private async Task<(HttpStatusCode Status, string Html)> GetAsync(string url)
    {
        var r = await kit.Http.GetAsync(url);
        return (r.StatusCode, await r.Content.ReadAsStringAsync());
    }

    private static void AssertNoPersonalData(string html, int reporter)
    {
        var (citizen, name, address, text) = RecapKit.Reporters[reporter];
        Assert.DoesNotContain(citizen, html);
        Assert.DoesNotContain("0812000", html);
        Assert.DoesNotContain(address, html);
        Assert.DoesNotContain(text[..30], html);
        foreach (var part in name.Split(' '))
        {
            Assert.DoesNotContain(part, html);
        }
    }

    [Fact]
    public async Task An_answered_case_shows_status_dates_agency_and_answer_but_no_personal_data()
    {
        var (status, html) = await GetAsync($"/lacak/{kit.A}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(kit.A, html);
        Assert.Contains("Sudah dijawab", html);
        Assert.Contains("Dinas Pekerjaan Umum dan Penataan Ruang", html);
        Assert.Contains("10-07-2025 09:00 WIB", html); // received
        Assert.Contains("10-07-2025 09:05 WIB", html); // dispositioned
        Assert.Contains("10-07-2025 10:00 WIB", html); // answered
        Assert.Contains(RecapKit.AnswerA, html);
        // The agency thanked the citizen by name in the answer; the name is blanked out.
        Assert.Contains("Terima kasih Bapak ***.", html);
        AssertNoPersonalData(html, 0);
    }

    [Fact]
    public async Task A_confidential_case_shows_neither_its_text_nor_personal_data()
    {
        var (status, html) = await GetAsync($"/lacak/{kit.C.ToLowerInvariant()}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Sedang ditindaklanjuti instansi", html);
        Assert.Contains("Dinas Lingkungan Hidup", html);
        Assert.DoesNotContain("pungutan liar", html);
        AssertNoPersonalData(html, 2);
    }

    [Fact]
    public async Task Citizen_and_staff_text_with_markup_is_shown_inert()
    {
        var (status, html) = await GetAsync($"/lacak/{kit.B}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<img", html);
        AssertNoPersonalData(html, 1);

        var (notFound, echoed) = await GetAsync("/lacak?nomor=" + Uri.EscapeDataString(RecapKit.Xss));
        Assert.Equal(HttpStatusCode.NotFound, notFound);
        Assert.DoesNotContain("<script", echoed);
        Assert.Contains("&lt;SCRIPT&gt;", echoed);

        var (_, d) = await GetAsync($"/lacak/{kit.D}");
        Assert.Contains("Belum didisposisikan", d);
        Assert.DoesNotContain("<script", d);
        AssertNoPersonalData(d, 3);
    }

    [Fact]
    public async Task An_unknown_number_is_a_404_page_in_Indonesian_and_the_form_finds_known_ones()
    {
        var (status, html) = await GetAsync("/lacak/LPR-2507-99999");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("Aduan tidak ditemukan", html);
        Assert.Contains("<html lang=\"id\">", html);

        var (formStatus, form) = await GetAsync("/lacak");
        Assert.Equal(HttpStatusCode.OK, formStatus);
        Assert.Contains("<form method=\"get\" action=\"/lacak\">", form);
        Assert.DoesNotContain("<script", form);

        var (found, page) = await GetAsync($"/lacak?nomor={kit.A}");
        Assert.Equal(HttpStatusCode.OK, found);
        Assert.Contains("Sudah dijawab", page);
    }

    [Fact]
    public async Task Looking_up_many_numbers_quickly_is_rate_limited()
    {
        await using var app = new LaporApp(settings: new Dictionary<string, string?> { ["Tracking:PermitsPerMinute"] = "3", ["Scheduler:Enabled"] = "false" });
        try
        {
            var http = app.CreateClient();
            var statuses = new List<HttpStatusCode>();
            for (var i = 1; i <= 5; i++)
            {
                statuses.Add((await http.GetAsync($"/lacak/LPR-2507-{i:D5}")).StatusCode);
            }
            Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
            var limited = await http.GetAsync("/lacak/LPR-2507-00009");
            Assert.Equal("60", limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ToString());
            Assert.Contains("Terlalu banyak permintaan", await limited.Content.ReadAsStringAsync());
            // Other routes are not limited.
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
        }
    }
}
