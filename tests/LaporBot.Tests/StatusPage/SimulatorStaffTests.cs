using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LaporBot.Tests.Fakes;
using Microsoft.Data.Sqlite;

namespace LaporBot.Tests.StatusPage;

/// <summary>
/// The simulator as a staff channel: in Development the demo staff act with the same commands,
/// buttons and replies as on Telegram, through the same StaffDesk, and the whole loop runs locally.
/// </summary>
public sealed class SimulatorStaffTests
{
    private sealed record Line(string Direction, long Id, string Text, List<Button> Buttons, long At);

    private sealed record Button(string Text, string Data);

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static async Task<List<Line>> ChatAsync(HttpClient http, long staff) =>
        (await http.GetFromJsonAsync<List<Line>>($"/dev/chat/api/staff/messages?staff={staff}", Web))!;

    private static async Task SendAsync(HttpClient http, long staff, string? text = null, string? button = null, long? replyTo = null)
    {
        var r = await http.PostAsJsonAsync("/dev/chat/api/staff/messages", new { staff, text, button, replyTo });
        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
    }

    [Fact]
    public async Task Demo_staff_walk_a_case_from_the_citizen_to_the_answer_in_the_simulator()
    {
        var app = new LaporApp(settings: new Dictionary<string, string?> { ["Demo:Enabled"] = "true", ["Scheduler:WatchInterval"] = "00:00:01" });
        try
        {
            var http = app.CreateClient();
            // The staff of the demo directory are there to pick from.
            var staff = (await http.GetFromJsonAsync<List<JsonElement>>("/dev/chat/api/staff", Web))!;
            long Id(string role, string? agency) => staff.Single(s => s.GetProperty("role").GetString() == role
                && (s.GetProperty("agency").ValueKind == JsonValueKind.Null ? null : s.GetProperty("agency").GetString()) == agency).GetProperty("id").GetInt64();
            var (admin, penghubung, kepala) = (Id("admin", "DPUPR"), Id("penghubung", "DPUPR"), Id("kepala", "DPUPR"));
            Assert.Contains(staff, s => s.GetProperty("role").GetString() == "triage");

            // A citizen reports a pothole; the demo keywords route it to DPUPR at once.
            var citizen = new SimulatorCitizen(http, "warga-demo");
            var number = await citizen.ReportDemoPotholeAsync(app.DatabasePath);

            // The admin's chat has the notification with its buttons; pressing Terima accepts.
            await Db.EventuallyAsync(async () => (await ChatAsync(http, admin)).Any(l => l.Text.Contains(number) && l.Buttons.Count > 0), "the admin is notified");
            var note = (await ChatAsync(http, admin)).First(l => l.Text.Contains(number) && l.Buttons.Count > 0);
            await SendAsync(http, admin, button: note.Buttons.First(b => b.Text.Contains("Terima")).Data);
            Assert.Equal("koordinasi", await StepAsync(app, number));

            // The liaison types the command; the head answers by replying to its notification.
            await SendAsync(http, penghubung, text: $"/teruskan {number} mohon arahan");
            Assert.Equal("tindak_lanjut", await StepAsync(app, number));
            await Db.EventuallyAsync(async () => (await ChatAsync(http, kepala)).Any(l => l.Direction == "out" && l.Text.Contains(number)), "the head is notified");
            var toHead = (await ChatAsync(http, kepala)).Last(l => l.Direction == "out" && l.Text.Contains(number));
            await SendAsync(http, kepala, text: "Lubang akan ditambal tim DPUPR besok pagi, terima kasih atas laporannya.", replyTo: toHead.Id);
            Assert.Equal("teruskan_hasil", await StepAsync(app, number));
            await SendAsync(http, penghubung, text: $"/teruskan {number}");
            await SendAsync(http, admin, text: $"/balas {number}");
            Assert.Equal("answered", await Db.ScalarAsync<string>(app.DatabasePath, "SELECT status FROM complaints WHERE tracking_number = @number", new { number }));

            // The answer arrives in the citizen's chat; each staff member got the desk's replies in theirs.
            await Db.EventuallyAsync(async () => (await citizen.RepliesAsync()).Any(r => r.Contains("Lubang akan ditambal")), "the citizen reads the answer");
            await Db.EventuallyAsync(async () => (await ChatAsync(http, admin)).Any(l => l.Direction == "out" && l.Text.Contains("sudah dikirim ke pelapor")),
                "the admin reads the desk's confirmation");
        }
        finally
        {
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
        }
    }

    private static Task<string> StepAsync(LaporApp app, string number) =>
        Db.ScalarAsync<string>(app.DatabasePath, "SELECT step FROM complaints WHERE tracking_number = @number", new { number });

    [Fact]
    public async Task Someone_who_is_not_staff_gets_a_polite_refusal_and_a_bad_request_a_400()
    {
        var app = new LaporApp(settings: new Dictionary<string, string?> { ["Demo:Enabled"] = "true", ["Scheduler:Enabled"] = "false" });
        try
        {
            var http = app.CreateClient();
            Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/dev/chat/api/staff/messages", new { text = "/daftar" })).StatusCode);
            await SendAsync(http, 12345, text: "/daftar");
            await Db.EventuallyAsync(async () => (await ChatAsync(http, 12345)).Any(l => l.Direction == "out" && l.Text.Contains("hanya untuk petugas")),
                "the polite refusal is delivered");
        }
        finally
        {
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
        }
    }
}
