using System.Net;
using LaporBot.Tests.Fakes;

namespace LaporBot.Tests.StatusPage;

public sealed class StatusPageTests
{
    private const string Street = "Jl. Merdeka No. 5, Sidanegara, Cilacap Tengah";
    private const string LampText = "Lampu penerangan jalan mati sudah dua minggu, jalan jadi gelap dan rawan";
    private const string TrashText = "Sampah di pinggir pasar menumpuk tidak diangkut sejak sepekan";

    [Fact]
    public async Task After_login_the_dashboard_shows_a_case_filed_through_the_simulator()
    {
        await using var kit = StatusPageKit.Start();
        var number = await kit.FileAsync("warga-dash", "Budi Santoso", Street, LampText);
        var staff = kit.Staff();
        await staff.LoginOkAsync();

        var html = await staff.HtmlAsync("/status");

        Assert.Contains("id=\"dashboard\"", html);
        Assert.Contains($"href=\"/status/aduan/{number}\"", html);
        Assert.Contains("Budi Santoso", html);
        Assert.Matches("id=\"count-today\">1<", html);
        Assert.Contains("<svg class=\"chart\"", html);
        Assert.Contains("id=\"chart-daily\"", html);
        Assert.Contains("id=\"chart-monthly\"", html);
        Assert.Contains("DPUPR", html); // per-agency table lists the configured agencies
        Assert.Contains("href=\"/status/rekap\"", html);
        Assert.DoesNotContain("<script", html); // no JavaScript at all
    }

    [Fact]
    public async Task Filters_narrow_the_case_list()
    {
        await using var kit = StatusPageKit.Start();
        var lamp = await kit.FileAsync("warga-lampu", "Budi Santoso", Street, LampText);
        var trash = await kit.FileAsync("warga-sampah", "Siti Aminah", "Jl. Pasar Baru No. 1, Cilacap", TrashText);
        var staff = kit.Staff();
        await staff.LoginOkAsync();

        var all = await staff.HtmlAsync("/status/aduan");
        Assert.Contains("id=\"case-filter\"", all);
        Assert.Contains($"data-nomor=\"{lamp}\"", all);
        Assert.Contains($"data-nomor=\"{trash}\"", all);

        var byName = await staff.HtmlAsync("/status/aduan?q=aminah");
        Assert.Contains($"data-nomor=\"{trash}\"", byName);
        Assert.DoesNotContain($"data-nomor=\"{lamp}\"", byName);

        var byText = await staff.HtmlAsync("/status/aduan?q=penerangan");
        Assert.Contains($"data-nomor=\"{lamp}\"", byText);
        Assert.DoesNotContain($"data-nomor=\"{trash}\"", byText);

        var byNumber = await staff.HtmlAsync($"/status/aduan?q={lamp}");
        Assert.Contains($"data-nomor=\"{lamp}\"", byNumber);
        Assert.DoesNotContain($"data-nomor=\"{trash}\"", byNumber);

        Assert.DoesNotContain("data-nomor=", await staff.HtmlAsync("/status/aduan?kanal=telegram"));
        Assert.Contains($"data-nomor=\"{lamp}\"", await staff.HtmlAsync("/status/aduan?kanal=simulator"));
        Assert.DoesNotContain("data-nomor=", await staff.HtmlAsync("/status/aduan?status=closed"));
        Assert.DoesNotContain("data-nomor=", await staff.HtmlAsync("/status/aduan?terlambat=true"));
        Assert.DoesNotContain("data-nomor=", await staff.HtmlAsync("/status/aduan?dari=2000-01-01&sampai=2000-01-31"));
        Assert.DoesNotContain("data-nomor=", await staff.HtmlAsync("/status/aduan?instansi=DLH"));
        // a search text with LIKE wildcards is taken literally
        Assert.DoesNotContain("data-nomor=", await staff.HtmlAsync("/status/aduan?q=%25"));
    }

    [Fact]
    public async Task The_overdue_filter_and_dashboard_count_cases_past_their_deadline()
    {
        await using var kit = StatusPageKit.Start();
        var lamp = await kit.FileAsync("warga-telat", "Budi Santoso", Street, LampText);
        var trash = await kit.FileAsync("warga-tepat", "Siti Aminah", "Jl. Pasar Baru No. 1, Cilacap", TrashText);
        await kit.WaitForStatusAsync(lamp, "triage");
        await kit.WaitForStatusAsync(trash, "triage");
        await Db.ExecuteAsync(kit.DatabasePath, "UPDATE complaints SET due_at = 1000 WHERE tracking_number = @lamp", new { lamp });
        await Db.ExecuteAsync(kit.DatabasePath, "UPDATE complaints SET due_at = @far WHERE tracking_number = @trash",
            new { trash, far = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds() });
        var staff = kit.Staff();
        await staff.LoginOkAsync();

        var late = await staff.HtmlAsync("/status/aduan?terlambat=true");
        Assert.Contains($"data-nomor=\"{lamp}\"", late);
        Assert.DoesNotContain($"data-nomor=\"{trash}\"", late);
        Assert.Matches("id=\"count-overdue\"><a[^>]*>1<", await staff.HtmlAsync("/status"));
    }

    [Fact]
    public async Task The_list_pages_by_25()
    {
        await using var kit = StatusPageKit.Start();
        await kit.FileAsync("warga-1", "Budi Santoso", Street, LampText);
        // Copies of the filed case: paging is about the query, not the conversation.
        for (var i = 2; i <= 27; i++)
        {
            await Db.ExecuteAsync(kit.DatabasePath,
                """
                INSERT INTO complaints (tracking_number, reporter_id, channel, status, created_at, updated_at)
                SELECT 'LPR-0001-' || printf('%05d', @i), reporter_id, channel, status, created_at, updated_at FROM complaints WHERE id = 1;
                INSERT INTO complaint_personal (complaint_id, name, address, text)
                SELECT last_insert_rowid(), name, address, text FROM complaint_personal WHERE complaint_id = 1;
                """, new { i });
        }
        var staff = kit.Staff();
        await staff.LoginOkAsync();

        var first = await staff.HtmlAsync("/status/aduan");
        var second = await staff.HtmlAsync("/status/aduan?hal=2");

        Assert.Equal(25, CountRows(first));
        Assert.Equal(2, CountRows(second));
        Assert.Contains("id=\"page-next\"", first);
        Assert.Contains("id=\"page-prev\"", second);
        Assert.Contains("27 aduan ditemukan", first);
    }

    private static int CountRows(string html) => System.Text.RegularExpressions.Regex.Matches(html, "data-nomor=").Count;

    [Fact]
    public async Task The_detail_page_shows_every_field_and_the_timeline()
    {
        await using var kit = StatusPageKit.Start();
        var number = await kit.FileAsync("warga-detail", "Budi Santoso", Street, LampText);
        await kit.WaitForStatusAsync(number, "triage");
        var staff = kit.Staff();
        await staff.LoginOkAsync();

        var html = await staff.HtmlAsync($"/status/aduan/{number}");

        Assert.Contains("id=\"timeline\"", html);
        Assert.Contains("Budi Santoso", html);
        Assert.Contains("Jl. Merdeka No. 5", html);
        Assert.Contains("Lampu penerangan jalan mati", html);
        Assert.Contains(">submitted<", html);
        Assert.Contains(">to_triage<", html);
        Assert.Contains(">citizen<", html);
        Assert.Contains("sistem:routing", html);
        Assert.Contains("id=\"case-attachments\">0 berkas", html);
        Assert.Contains("id=\"case-outbox\"", html);
        Assert.Contains("id=\"action-assign\"", html); // admin is an operator
        Assert.Equal(HttpStatusCode.NotFound, (await staff.Http.GetAsync("/status/aduan/LPR-9999-99999")).StatusCode);
    }

    [Fact]
    public async Task An_operator_assigns_a_case_and_the_timeline_names_them()
    {
        await using var kit = StatusPageKit.Start();
        var number = await kit.FileAsync("warga-assign", "Budi Santoso", Street, LampText);
        await kit.WaitForStatusAsync(number, "triage");
        var staff = kit.Staff();
        await staff.LoginOkAsync();

        var r = await staff.PostFormAsync($"/status/aduan/{number}", $"/status/aduan/{number}?handler=Assign",
            new Dictionary<string, string> { ["agency"] = "DLH", ["note"] = "dicek lapangan" });

        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var row = (await Db.QueryAsync<(string Status, string Agency)>(kit.DatabasePath,
            "SELECT status, agency_code FROM complaints WHERE tracking_number = @number", new { number })).Single();
        Assert.Equal(("assigned", "DLH"), row);
        var ev = (await Db.QueryAsync<(string Actor, string Kind, string Note)>(kit.DatabasePath,
            "SELECT e.actor, e.kind, n.note FROM complaint_events e JOIN complaint_event_notes n ON n.event_id = e.id WHERE e.kind = 'assigned'")).Single();
        Assert.Equal("web:admin", ev.Actor);
        Assert.Contains("dicek lapangan", ev.Note);
        var page = await staff.HtmlAsync($"/status/aduan/{number}");
        Assert.Contains("web:admin", page);
        Assert.Contains("didisposisikan ke DLH", page);
    }

    [Fact]
    public async Task An_operator_returns_a_case_to_the_citizen_and_closes_another()
    {
        await using var kit = StatusPageKit.Start();
        var back = await kit.FileAsync("warga-kembali", "Budi Santoso", Street, LampText);
        var done = await kit.FileAsync("warga-tutup", "Siti Aminah", "Jl. Pasar Baru No. 1, Cilacap", TrashText);
        await kit.WaitForStatusAsync(back, "triage");
        var staff = kit.Staff();
        await staff.LoginOkAsync();

        await staff.PostFormAsync($"/status/aduan/{back}", $"/status/aduan/{back}?handler=Return",
            new Dictionary<string, string> { ["reason"] = "Mohon sebutkan RT/RW lokasi lampu." });
        await staff.PostFormAsync($"/status/aduan/{done}", $"/status/aduan/{done}?handler=Close",
            new Dictionary<string, string> { ["reason"] = "Duplikat laporan sebelumnya." });

        Assert.Equal("returned", await kit.StatusAsync(back));
        Assert.Equal("closed", await kit.StatusAsync(done));
        Assert.Equal(2, await Db.ScalarAsync<long>(kit.DatabasePath,
            "SELECT COUNT(*) FROM complaint_events WHERE actor = 'web:admin' AND kind IN ('returned_to_citizen', 'closed_by_staff')"));
        // the citizen is told, through the outbox
        Assert.True(await Db.ScalarAsync<long>(kit.DatabasePath,
            "SELECT COUNT(*) FROM outbox WHERE recipient = 'warga-kembali' AND body LIKE '%RT/RW%'") >= 1);
    }

    [Fact]
    public async Task A_viewer_sees_the_case_but_an_action_is_refused_with_403_and_nothing_changes()
    {
        await using var kit = StatusPageKit.Start();
        var number = await kit.FileAsync("warga-viewer", "Budi Santoso", Street, LampText);
        await kit.WaitForStatusAsync(number, "triage");
        await kit.AddAccountAsync("pemantau", "viewer", "viewer-password-1");
        var staff = kit.Staff();
        await staff.LoginOkAsync("pemantau", "viewer-password-1");

        var page = await staff.HtmlAsync($"/status/aduan/{number}");
        Assert.Contains("id=\"timeline\"", page);
        Assert.DoesNotContain("id=\"action-assign\"", page);
        Assert.DoesNotContain("id=\"action-close\"", page);

        var r = await staff.PostFormAsync($"/status/aduan/{number}", $"/status/aduan/{number}?handler=Assign",
            new Dictionary<string, string> { ["agency"] = "DLH" });
        var close = await staff.PostFormAsync($"/status/aduan/{number}", $"/status/aduan/{number}?handler=Close",
            new Dictionary<string, string> { ["reason"] = "x" });
        var agency = await staff.PostFormAsync("/status/instansi", "/status/instansi?handler=Add",
            new Dictionary<string, string> { ["Code"] = "DISHUB", ["Name"] = "Dinas Perhubungan" });

        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, close.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, agency.StatusCode);
        Assert.Equal("triage", await kit.StatusAsync(number));
        Assert.Equal(0, await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT COUNT(*) FROM complaint_events WHERE actor LIKE 'web:%'"));
        Assert.Equal(0, await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT COUNT(*) FROM agencies WHERE code = 'DISHUB'"));
    }

    [Fact]
    public async Task An_action_posted_without_the_antiforgery_token_is_rejected_and_changes_nothing()
    {
        await using var kit = StatusPageKit.Start();
        var number = await kit.FileAsync("warga-csrf", "Budi Santoso", Street, LampText);
        await kit.WaitForStatusAsync(number, "triage");
        var staff = kit.Staff();
        await staff.LoginOkAsync();

        var r = await staff.PostFormAsync($"/status/aduan/{number}", $"/status/aduan/{number}?handler=Close",
            new Dictionary<string, string> { ["reason"] = "csrf" }, withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("triage", await kit.StatusAsync(number));
    }

    [Fact]
    public async Task The_outbox_page_lists_dead_messages_masked_and_an_operator_can_send_one_again()
    {
        await using var kit = StatusPageKit.Start(extra: new Dictionary<string, string?> { ["Outbox:DispatcherEnabled"] = "false" });
        var number = await kit.FileAsync("whatsapp:+6285290082800", "Budi Santoso", Street, LampText);
        var id = await Db.ScalarAsync<long>(kit.DatabasePath, "SELECT MAX(id) FROM outbox WHERE recipient = 'whatsapp:+6285290082800'");
        await Db.ExecuteAsync(kit.DatabasePath, "UPDATE outbox SET status = 'dead', attempts = 8, last_error = 'HTTP 500 dari penyedia' WHERE id = @id", new { id });
        var staff = kit.Staff();
        await staff.LoginOkAsync();

        var html = await staff.HtmlAsync("/status/outbox");
        Assert.Contains("id=\"outbox-dead\"", html);
        Assert.Contains("HTTP 500 dari penyedia", html);
        Assert.Contains("62*******800", html); // Razor writes the '+' as &#x2B;
        Assert.DoesNotContain("6285290082800", html);
        Assert.Contains($"href=\"/status/aduan/{number}\"", html);

        var r = await staff.PostFormAsync("/status/outbox", "/status/outbox?handler=Retry",
            new Dictionary<string, string> { ["id"] = id.ToString() });

        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal(("pending", 0L), (await Db.QueryAsync<(string, long)>(kit.DatabasePath,
            "SELECT status, attempts FROM outbox WHERE id = @id", new { id })).Single());
    }

    [Fact]
    public async Task An_operator_adds_and_edits_an_agency_and_creates_an_invite_code()
    {
        await using var kit = StatusPageKit.Start(extra: new Dictionary<string, string?> { ["Telegram:BotUsername"] = "LaporCilacapBot" });
        var staff = kit.Staff();
        await staff.LoginOkAsync();

        var page = await staff.HtmlAsync("/status/instansi");
        Assert.Contains("konfigurasi yang berlaku", page);
        var add = await staff.PostFormAsync("/status/instansi", "/status/instansi?handler=Add", new Dictionary<string, string>
        {
            ["Code"] = "dishub", ["Name"] = "Dinas Perhubungan", ["Keywords"] = "lampu lalu lintas, parkir liar", ["AnswerMinutes"] = "120",
        });
        Assert.Equal(HttpStatusCode.Redirect, add.StatusCode);
        var edit = await staff.PostFormAsync("/status/instansi", "/status/instansi?handler=Edit", new Dictionary<string, string>
        {
            ["Code"] = "DISHUB", ["Name"] = "Dinas Perhubungan Kab. Cilacap", ["Keywords"] = "parkir liar\nterminal", ["AcceptMinutes"] = "30",
        });
        Assert.Equal(HttpStatusCode.Redirect, edit.StatusCode);

        var row = (await Db.QueryAsync<(string Name, string Keywords, long? Accept, long? Answer, long Active, string Source)>(kit.DatabasePath,
            "SELECT name, keywords, accept_seconds, answer_seconds, active, source FROM agencies WHERE code = 'DISHUB'")).Single();
        Assert.Equal(("Dinas Perhubungan Kab. Cilacap", "[\"parkir liar\",\"terminal\"]", 1800L, (long?)null, 1L, "status_page"), row);

        var duplicate = await staff.PostFormAsync("/status/instansi", "/status/instansi?handler=Add",
            new Dictionary<string, string> { ["Code"] = "DPUPR", ["Name"] = "Lagi" });
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Contains("sudah dipakai", await duplicate.Content.ReadAsStringAsync());

        var invite = await staff.PostFormAsync("/status/instansi", "/status/instansi?handler=Invite", new Dictionary<string, string> { ["code"] = "DISHUB" });
        Assert.Equal(HttpStatusCode.Redirect, invite.StatusCode);
        var code = await Db.ScalarAsync<string>(kit.DatabasePath, "SELECT code FROM invite_codes WHERE agency_code = 'DISHUB' AND role = 'agency'");
        var shown = await staff.HtmlAsync("/status/instansi");
        Assert.Contains($"id=\"invite-code\">{code}<", shown);
        Assert.Contains($"https://t.me/LaporCilacapBot?start={code}", shown);
    }

    [Fact]
    public async Task An_agency_added_on_the_page_stays_active_after_a_restart_that_seeds_from_configuration()
    {
        string path;
        await using (var kit = StatusPageKit.Start())
        {
            path = kit.DatabasePath;
            var staff = kit.Staff();
            await staff.LoginOkAsync();
            await staff.PostFormAsync("/status/instansi", "/status/instansi?handler=Add",
                new Dictionary<string, string> { ["Code"] = "DISHUB", ["Name"] = "Dinas Perhubungan" });
            Assert.Equal(1, await Db.ScalarAsync<long>(path, "SELECT active FROM agencies WHERE code = 'DISHUB'"));
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        await using var again = new LaporApp(databasePath: path, settings: new Dictionary<string, string?> { ["Agencies:0:Code"] = "DPUPR", ["Agencies:0:Name"] = "PU" });
        again.CreateClient().Dispose();

        Assert.Equal(1, await Db.ScalarAsync<long>(path, "SELECT active FROM agencies WHERE code = 'DISHUB'"));
        Assert.Equal(0, await Db.ScalarAsync<long>(path, "SELECT active FROM agencies WHERE code = 'DLH'")); // configured before, not any more
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
