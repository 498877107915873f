using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LaporBot.Tests.Fakes;

/// <summary>Drives the app through the simulator endpoints as a citizen would.</summary>
internal sealed class SimulatorCitizen(HttpClient http, string citizen, string? profileName = null)
{
    public string Citizen { get; } = citizen;

    public async Task<HttpResponseMessage> SendRawAsync(object body) =>
        await http.PostAsJsonAsync("/dev/chat/api/messages", body);

    public async Task SayAsync(string? text, string? messageId = null, bool sticker = false, double? lat = null, double? lon = null, string? attachmentUrl = null)
    {
        var r = await SendRawAsync(new { citizen = Citizen, profileName, text, messageId, sticker, latitude = lat, longitude = lon, attachmentUrl });
        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
    }

    public async Task<List<Line>> TranscriptAsync()
    {
        var lines = await http.GetFromJsonAsync<List<Line>>($"/dev/chat/api/messages?citizen={Uri.EscapeDataString(Citizen)}",
            new JsonSerializerOptions(JsonSerializerDefaults.Web));
        return lines!;
    }

    /// <summary>The bot's replies so far (outbox bodies, oldest first).</summary>
    public async Task<List<string>> RepliesAsync() =>
        (await TranscriptAsync()).Where(l => l.Direction == "out").Select(l => l.Text ?? "").ToList();

    public async Task<string> LastReplyAsync() => (await RepliesAsync()).LastOrDefault() ?? "";

    /// <summary>
    /// In the Development demo: reports a pothole, which the demo keywords route to DPUPR at once;
    /// returns its tracking number once the case waits at DPUPR's admin (step "periksa").
    /// </summary>
    public async Task<string> ReportDemoPotholeAsync(string databasePath)
    {
        await SayAsync("lapor");
        await Db.AnswerIdentityAsync(databasePath, Citizen, t => SayAsync(t), "Budi Santoso", "Jl. Merdeka No. 5, Cilacap");
        await SayAsync("sama");
        await SayAsync("Jalan berlubang besar di depan pasar Sidanegara, sudah dua motor jatuh minggu ini");
        await SayAsync("ya");
        var number = await Db.ScalarAsync<string>(databasePath, "SELECT tracking_number FROM complaints ORDER BY id DESC LIMIT 1");
        await Db.EventuallyAsync(async () => await Db.ScalarAsync<string?>(databasePath,
            "SELECT step FROM complaints WHERE tracking_number = @number", new { number }) == "periksa", "routed to DPUPR's admin");
        return number;
    }

    public sealed record Line(string Direction, long Id, string? Text, List<string> QuickReplies, long At, string? Status);
}
