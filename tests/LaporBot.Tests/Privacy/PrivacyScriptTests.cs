using Dapper;
using LaporBot.Complaints;
using LaporBot.Data;
using LaporBot.Privacy;
using LaporBot.Workflow;
using LaporBot.Tests.Fakes;
using Microsoft.Data.Sqlite;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace LaporBot.Tests.Privacy;

/// <summary>
/// Runs every dialogs/tests/privacy/*.test.yaml through the real service (simulator channel, real
/// SQLite file, manual clock): citizen says → bot replies (substrings), staff actions, the retention
/// round, and at the end the strings that must be gone from every table and the attachment folder.
/// These need the database (DATA SAYA reads it, HAPUS DATA SAYA erases it), so they are not pure
/// dialog scripts like dialogs/tests/*.test.yaml.
/// On SQLite and on PostgreSQL.
/// </summary>
public abstract class PrivacyScriptTests
{
    private protected abstract Backend Backend { get; }

    public sealed class OnSqlite : PrivacyScriptTests
    {
        private protected override Backend Backend => Backend.Sqlite;
    }

    public sealed class OnPostgres : PrivacyScriptTests
    {
        private protected override Backend Backend => Backend.Postgres;
    }

    public const string DpoContact = "ppid@cilacapkab.go.id, (0282) 533-123";
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(TestPaths.DialogTests, "privacy"), "*.test.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }
        return data;
    }

    [SkippableFact]
    public void The_privacy_texts_load_with_every_language_and_message()
    {
        var texts = PrivacyTexts.Load(PrivacyTexts.PathIn(TestPaths.Dialogs));
        Assert.Equal(["id", "en"], texts.Languages);
        Assert.Equal("my_data", texts.Match("  Data Saya. ", "privacy", "my_data", "erase", "stop"));
        Assert.Equal("erase", texts.Match("/hapus data saya", "privacy", "my_data", "erase", "stop"));
        Assert.Null(texts.Match("data saya sudah lengkap, jalan rusak di depan rumah", "privacy", "my_data", "erase", "stop"));
    }

    [SkippableTheory]
    [MemberData(nameof(Scripts))]
    public async Task Script_runs_as_written(string file)
    {
        var script = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build()
            .Deserialize<Script>(File.ReadAllText(Path.Combine(TestPaths.DialogTests, "privacy", file)));
        Assert.False(string.IsNullOrWhiteSpace(script.Description), $"{file}: say in a description: line what this conversation proves");
        var clock = new ManualClock(Start);
        await using var db = await TestDatabase.CreateAsync(Backend);
        await using var app = new LaporApp(db.Target, clock: clock, settings: new Dictionary<string, string?>
        {
            ["Scheduler:Enabled"] = "false",
            ["Routing:AutoAssign"] = "false",
            ["Agencies:0:Code"] = "DLH",
            ["Agencies:0:Name"] = "Dinas Lingkungan Hidup",
            ["Agencies:0:AdminTelegramIds:0"] = "9002", // the workflow assigns only where someone can act
            ["Privacy:Controller"] = "Dinas Kominfo Kabupaten Cilacap",
            ["Privacy:DpoContact"] = DpoContact,
        });
        var http = app.CreateClient();
        var citizens = new Dictionary<string, SimulatorCitizen>();
        SimulatorCitizen Citizen(string? id) =>
            citizens.TryGetValue(id ?? script.Citizen, out var c) ? c : citizens[id ?? script.Citizen] = new SimulatorCitizen(http, id ?? script.Citizen, script.ProfileName);

        for (var i = 0; i < script.Turns.Count; i++)
        {
            var t = script.Turns[i];
            var where = $"{file} turn {i + 1}";
            if (t.After is { } after)
            {
                clock.Advance(TimeSpan.Parse(after, System.Globalization.CultureInfo.InvariantCulture));
            }
            var citizen = Citizen(t.CitizenId);
            // Not by count or by id: an erasure removes earlier messages, and SQLite then reuses their ids.
            var before = (await citizen.TranscriptAsync()).Where(l => l.Direction == "out").Select(l => (l.Id, l.Text)).ToHashSet();
            switch (t.Action)
            {
                case null:
                    await citizen.SayAsync(t.Citizen);
                    break;
                case "photo":
                    await AddPhotoAsync(app, citizen.Citizen);
                    break;
                case "close_case":
                    await ActOnLatestAsync(app, citizen.Citizen, (wf, s, c, now) =>
                        wf.CloseAsync(s, c, "web:petugas", "closed_by_staff", "Sudah ditangani.", now, citizenMessage: "closed_notice"), clock.GetUtcNow());
                    break;
                case "answer":
                    await ActOnLatestAsync(app, citizen.Citizen, (wf, s, c, now) => wf.AssignAsync(s, c, "DLH", "web:petugas", null, now), clock.GetUtcNow());
                    await ActOnLatestAsync(app, citizen.Citizen, (wf, s, c, now) => wf.AnswerAsync(s, c, "DLH:petugas", "Sampah sudah diangkut hari ini.", now), clock.GetUtcNow());
                    break;
                case "retention":
                    await DrainAsync(app);
                    await app.Service<RetentionService>().RunOnceAsync();
                    break;
                default:
                    Assert.Fail($"{where}: unknown action '{t.Action}' (photo, close_case, answer, retention)");
                    break;
            }
            var replies = string.Join("\n---\n",
                (await citizen.TranscriptAsync()).Where(l => l.Direction == "out" && !before.Contains((l.Id, l.Text))).Select(l => l.Text));
            foreach (var expected in t.Bot ?? [])
            {
                Assert.True(replies.Contains(Fill(expected), StringComparison.Ordinal), $"{where}: expected \"{Fill(expected)}\" in the reply, got:\n{replies}");
            }
            foreach (var unexpected in t.NotBot ?? [])
            {
                Assert.False(replies.Contains(Fill(unexpected), StringComparison.Ordinal), $"{where}: did not expect \"{Fill(unexpected)}\" in the reply, got:\n{replies}");
            }
        }

        if (script.Erased is { Count: > 0 } || script.Held is { Count: > 0 })
        {
            var everything = await EverythingAsync(app);
            foreach (var gone in script.Erased ?? [])
            {
                var hit = everything.FirstOrDefault(x => x.Value.Contains(gone, StringComparison.OrdinalIgnoreCase));
                Assert.True(hit.Value is null, $"{file}: \"{gone}\" is still stored, in {hit.Where}: {hit.Value}");
            }
            foreach (var kept in script.Held ?? [])
            {
                Assert.Contains(everything, x => x.Value.Contains(kept, StringComparison.OrdinalIgnoreCase));
            }
        }
    }

    private static string Fill(string s) => s.Replace("{dpo_contact}", DpoContact, StringComparison.Ordinal);

    private static Task DrainAsync(LaporApp app) =>
        Db.EventuallyAsync(async () => await Db.ScalarAsync<long>(app.DatabasePath, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'") == 0,
            "the outbox sent everything");

    /// <summary>Every text value in every table (as "table.column" → value), and every file under the attachment folder.</summary>
    private static async Task<List<(string Where, string Value)>> EverythingAsync(LaporApp app)
    {
        var found = new List<(string, string)>();
        await using (var c = TestDatabase.Connect(app.DatabasePath))
        {
            await c.OpenAsync();
            var tables = TestDatabase.IsPostgres(app.DatabasePath)
                ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
                : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'";
            foreach (var table in await c.QueryAsync<string>(tables))
            {
                foreach (IDictionary<string, object?> row in await c.QueryAsync($"SELECT * FROM \"{table}\""))
                {
                    foreach (var (column, value) in row)
                    {
                        var text = value switch { null => null, byte[] b => System.Text.Encoding.UTF8.GetString(b), _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) };
                        if (!string.IsNullOrEmpty(text))
                        {
                            found.Add(($"{table}.{column}", text));
                        }
                    }
                }
            }
        }
        var folder = Path.Combine(app.Dir, "attachments");
        if (Directory.Exists(folder))
        {
            foreach (var f in Directory.GetFiles(folder, "*", SearchOption.AllDirectories))
            {
                found.Add(($"file {f}", Path.GetFileName(f) + " " + await File.ReadAllTextAsync(f)));
            }
        }
        SqliteConnection.ClearAllPools();
        return found;
    }

    /// <summary>A photo with the citizen's latest case: a row and a file whose bytes carry the citizen's number.</summary>
    private static async Task AddPhotoAsync(LaporApp app, string citizen)
    {
        var relative = Path.Combine("2026", "11", $"foto-{citizen}.jpg");
        var full = Path.Combine(app.Dir, "attachments", relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllTextAsync(full, $"JPEG from {citizen}");
        await Db.ExecuteAsync(app.DatabasePath,
            """
            INSERT INTO complaint_attachments (complaint_id, source_url, content_type, local_path, created_at)
            SELECT c.id, 'https://provider.invalid/media/1', 'image/jpeg', @relative, c.created_at
            FROM complaints c JOIN reporters r ON r.id = c.reporter_id WHERE r.address = @citizen ORDER BY c.id DESC LIMIT 1
            """, new { relative, citizen });
    }

    private static async Task ActOnLatestAsync(LaporApp app, string citizen,
        Func<ComplaintWorkflow, DbSession, ComplaintRow, DateTimeOffset, Task<bool>> step, DateTimeOffset now)
    {
        var number = await Db.ScalarAsync<string>(app.DatabasePath,
            "SELECT c.tracking_number FROM complaints c JOIN reporters r ON r.id = c.reporter_id WHERE r.address = @citizen ORDER BY c.id DESC LIMIT 1",
            new { citizen });
        await using var s = await app.Service<IDatabase>().BeginAsync();
        var c = (await ComplaintStore.FindByNumberAsync(s.Connection, number, s.Transaction))!;
        Assert.True(await step(app.Service<ComplaintWorkflow>(), s, c, now), $"the staff action on {number} ({c.Status}) was refused");
        await s.CommitAsync();
    }

    public sealed class Script
    {
        public string? Description { get; set; }
        public string Citizen { get; set; } = "6281234567890";
        public string? ProfileName { get; set; }
        public List<Turn> Turns { get; set; } = [];
        /// <summary>After the last turn: not one of these may be stored anywhere (case-insensitive).</summary>
        public List<string>? Erased { get; set; }
        /// <summary>After the last turn: each of these must still be stored somewhere (proves the search sees data).</summary>
        public List<string>? Held { get; set; }
    }

    public sealed class Turn
    {
        public string? Citizen { get; set; }
        public string? CitizenId { get; set; }
        public string? After { get; set; }
        public string? Action { get; set; }
        public List<string>? Bot { get; set; }
        public List<string>? NotBot { get; set; }
    }
}
