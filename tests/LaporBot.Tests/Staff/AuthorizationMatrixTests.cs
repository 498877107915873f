using LaporBot.Routing;
using LaporBot.Staff;
using LaporBot.Tests.Fakes;
using LaporBot.Tests.Routing;

namespace LaporBot.Tests.Staff;

/// <summary>One app for the whole matrix; every row files its own complaint from its own citizen.</summary>
public sealed class AuthorizationMatrixApp : IAsyncLifetime
{
    private long _citizen = 6_300_000_000;

    internal RoutingKit Kit { get; private set; } = null!;

    public async Task InitializeAsync() => Kit = await RoutingKit.StartAsync();

    public async Task DisposeAsync() => await Kit.DisposeAsync();

    /// <summary>A fresh case assigned to DPUPR, from a citizen nobody else uses (so no follow-up logic interferes).</summary>
    internal async Task<string> NewDpuprCaseAsync()
    {
        var citizen = Interlocked.Increment(ref _citizen);
        var number = await Kit.FileComplaintAsync("Jalan rusak parah di depan pasar Sidanegara, banyak lubang besar dan motor sering jatuh", citizen);
        await Kit.WaitForStatusAsync(number, "assigned");
        Assert.Equal("DPUPR", await Kit.AgencyAsync(number));
        return number;
    }
}

/// <summary>
/// Who may do what on Telegram, end to end: every command and button of the pre-workflow desk ×
/// {the case's agency, another agency, the triage desk, a stranger}, on a case at the agency's first
/// step. Agency admins act only on their own agency's cases and never dispose, return or close; the
/// triage desk views and closes any case but does not act at an agency's step; strangers are refused
/// politely. A refused action changes nothing: not the complaint row, not its timeline. The full
/// matrix (every action × every role × own/other agency at every step of every shipped SOP) is
/// <see cref="CaseAuthorizationMatrixTests"/>.
/// </summary>
public class AuthorizationMatrixTests(AuthorizationMatrixApp app) : IClassFixture<AuthorizationMatrixApp>
{
    private const string Allowed = "allowed";
    private const string NotYours = "not-your-agency";
    private const string TriageOnly = "triage-only";
    private const string NotStaff = "not-staff";
    private const string NotYourStep = "not-your-step";

    private RoutingKit Kit => app.Kit;

    public static long UserOf(string who) => who switch
    {
        "right-agency" => RoutingKit.PuAdmin,
        "other-agency" => RoutingKit.DlhAdmin,
        "triage" => RoutingKit.Triage,
        "unknown" => RoutingKit.Stranger,
        _ => throw new ArgumentOutOfRangeException(nameof(who)),
    };

    private static string ActorOf(string who) => who switch
    {
        "right-agency" => "staf:9001 (DPUPR)",
        "triage" => "staf:9000 (Admin Utama)",
        _ => throw new ArgumentOutOfRangeException(nameof(who)),
    };

    [Theory]
    // commands
    [InlineData("/lihat", "right-agency", Allowed)]
    [InlineData("/lihat", "other-agency", NotYours)]
    [InlineData("/lihat", "triage", Allowed)]
    [InlineData("/lihat", "unknown", NotStaff)]
    [InlineData("/terima", "right-agency", Allowed)]
    [InlineData("/terima", "other-agency", NotYours)]
    [InlineData("/terima", "triage", NotYourStep)]
    [InlineData("/terima", "unknown", NotStaff)]
    [InlineData("/tolak", "right-agency", Allowed)]
    [InlineData("/tolak", "other-agency", NotYours)]
    [InlineData("/tolak", "triage", NotYourStep)]
    [InlineData("/tolak", "unknown", NotStaff)]
    [InlineData("/balas", "right-agency", Allowed)]
    [InlineData("/balas", "other-agency", NotYours)]
    [InlineData("/balas", "triage", NotYourStep)]
    [InlineData("/balas", "unknown", NotStaff)]
    [InlineData("/disposisi", "right-agency", TriageOnly)]
    [InlineData("/disposisi", "other-agency", TriageOnly)]
    [InlineData("/disposisi", "triage", NotYourStep)]
    [InlineData("/disposisi", "unknown", NotStaff)]
    [InlineData("/kembalikan", "right-agency", TriageOnly)]
    [InlineData("/kembalikan", "other-agency", TriageOnly)]
    [InlineData("/kembalikan", "triage", NotYourStep)]
    [InlineData("/kembalikan", "unknown", NotStaff)]
    [InlineData("/tutup", "right-agency", TriageOnly)]
    [InlineData("/tutup", "other-agency", TriageOnly)]
    [InlineData("/tutup", "triage", Allowed)]
    [InlineData("/tutup", "unknown", NotStaff)]
    // buttons
    [InlineData("button:terima", "right-agency", Allowed)]
    [InlineData("button:terima", "other-agency", NotYours)]
    [InlineData("button:terima", "triage", NotYourStep)]
    [InlineData("button:terima", "unknown", NotStaff)]
    [InlineData("button:tolak", "right-agency", Allowed)]
    [InlineData("button:tolak", "other-agency", NotYours)]
    [InlineData("button:tolak", "triage", NotYourStep)]
    [InlineData("button:tolak", "unknown", NotStaff)]
    [InlineData("button:balas", "right-agency", Allowed)]
    [InlineData("button:balas", "other-agency", NotYours)]
    [InlineData("button:balas", "triage", NotYourStep)]
    [InlineData("button:balas", "unknown", NotStaff)]
    [InlineData("button:disposisi", "right-agency", TriageOnly)]
    [InlineData("button:disposisi", "other-agency", TriageOnly)]
    [InlineData("button:disposisi", "triage", NotYourStep)]
    [InlineData("button:disposisi", "unknown", NotStaff)]
    public async Task Staff_action_is_allowed_or_refused_without_any_change(string action, string who, string expected)
    {
        var number = await app.NewDpuprCaseAsync();
        var user = UserOf(who);
        var before = await Kit.SnapshotAsync(number);
        var refusal = expected switch
        {
            NotYours => StaffTexts.NotYourAgency,
            TriageOnly => StaffTexts.TriageOnly,
            NotStaff => StaffTexts.NotStaff,
            // The case waits at the agency's first step: the desk does not act for the agency.
            NotYourStep => StaffTexts.T("not_your_step", ("number", number), ("step", "Instansi menerima disposisi"), ("role", "Admin OPD")),
            _ => null,
        };
        var refusalsBefore = refusal is null ? 0 : Kit.TextsTo(user).Count(t => t == refusal);
        var alertsBefore = Alerts();

        var answer = $"Jawaban {number}: lubang sudah ditambal";
        var reason = $"Alasan {number}: bukan kewenangan kami";
        switch (action)
        {
            case "/lihat" or "/terima" or "/tutup":
                await Kit.SayAsync(user, $"{action} {number}");
                break;
            case "/tolak" or "/kembalikan":
                await Kit.SayAsync(user, $"{action} {number} {reason}");
                break;
            case "/balas":
                await Kit.SayAsync(user, $"/balas {number} {answer}");
                break;
            case "/disposisi":
                await Kit.SayAsync(user, $"/disposisi {number} DLH");
                break;
            case "button:terima":
                await Kit.PressAsync(user, $"terima:{number}");
                break;
            case "button:disposisi":
                await Kit.PressAsync(user, $"disposisi:{number}:DLH");
                break;
            case "button:tolak" or "button:balas":
                await Kit.PressAsync(user, $"{action["button:".Length..]}:{number}");
                if (expected == Allowed)
                {
                    // The button only asks for the words; replying to that prompt performs the action.
                    var purpose = action == "button:tolak" ? "ask_reason" : "ask_answer";
                    var prompt = await PromptIdAsync(user, number, purpose);
                    await Kit.SayAsync(user, action == "button:tolak" ? reason : answer, replyTo: prompt);
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action));
        }

        if (refusal is not null)
        {
            await Db.EventuallyAsync(() => Task.FromResult(Kit.TextsTo(user).Count(t => t == refusal) > refusalsBefore),
                $"the refusal \"{refusal}\" sent to {who}");
            if (action.StartsWith("button:", StringComparison.Ordinal))
            {
                await Db.EventuallyAsync(() => Task.FromResult(Alerts() > alertsBefore), "the button press answered with an alert");
            }
            Assert.Equal(before, await Kit.SnapshotAsync(number));
            Assert.DoesNotContain(Kit.TextsTo(user), t => t.Contains($"aduan {number}.", StringComparison.Ordinal)); // no prompt
            return;
        }

        var actor = ActorOf(who);
        var timeline = await Kit.TimelineAsync(number);
        var last = timeline[^1];
        var after = await Kit.SnapshotAsync(number);
        switch (action)
        {
            case "/lihat":
                var view = await Kit.WaitForMessageAsync(user, "Riwayat:");
                Assert.Contains($"Nomor: {number}", view.GetProperty("text").GetString());
                Assert.Equal(before, after);
                break;
            case "/terima" or "button:terima":
                Assert.Equal(("accepted", "DPUPR"), (after.Status, after.AgencyCode));
                Assert.Equal((actor, "accepted"), (last.Actor, last.Kind));
                await Kit.WaitForMessageAsync(user, $"✅ Aduan {number} diterima dan diteruskan");
                break;
            case "/tolak" or "button:tolak":
                Assert.Equal(("triage", null), (after.Status, after.AgencyCode));
                Assert.Equal((actor, "rejected_by_agency", $"ditolak DPUPR: {reason}"), (last.Actor, last.Kind, last.Note));
                await Kit.WaitForExactMessageAsync(user, $"↩️ Aduan {number} dikembalikan ke Admin Utama dengan alasan: {reason}");
                break;
            case "/balas" or "button:balas":
                Assert.Equal(("answered", "DPUPR", answer), (after.Status, after.AgencyCode, after.Answer));
                Assert.Equal((actor, "answered", answer), (last.Actor, last.Kind, last.Note));
                await Kit.WaitForExactMessageAsync(user, $"📨 Jawaban untuk {number} sudah dikirim ke pelapor.");
                break;
            case "/disposisi" or "button:disposisi":
                Assert.Equal(("assigned", "DLH"), (after.Status, after.AgencyCode));
                Assert.Equal((actor, "assigned"), (last.Actor, last.Kind));
                await Kit.WaitForExactMessageAsync(user, $"➡️ Aduan {number} didisposisikan ke Dinas Lingkungan Hidup.");
                break;
            case "/kembalikan":
                Assert.Equal(("returned", null), (after.Status, after.AgencyCode));
                Assert.Equal((actor, "returned_to_citizen", reason), (last.Actor, last.Kind, last.Note));
                await Kit.WaitForExactMessageAsync(user, $"📤 Aduan {number} dikembalikan ke pelapor untuk dilengkapi.");
                break;
            case "/tutup":
                Assert.Equal(("closed", "DPUPR"), (after.Status, after.AgencyCode));
                Assert.Equal((actor, "closed_by_staff"), (last.Actor, last.Kind));
                await Kit.WaitForExactMessageAsync(user, $"🔒 Aduan {number} ditutup.");
                break;
        }
        if (action != "/lihat")
        {
            Assert.True(after.Events > before.Events, "an allowed action is on the timeline");
            Assert.True(after.UpdatedAt >= before.UpdatedAt);
        }
    }

    private int Alerts() => Kit.Fake.CallsTo("answerCallbackQuery").Count(c =>
        c.Json.TryGetProperty("show_alert", out var alert) && alert.GetBoolean()
        && c.Json.GetProperty("text").GetString() == "Tidak diizinkan");

    private async Task<long> PromptIdAsync(long user, string number, string purpose)
    {
        long id = 0;
        await Db.EventuallyAsync(async () =>
        {
            id = await Db.ScalarAsync<long?>(Kit.DatabasePath,
                """
                SELECT CAST(o.provider_message_id AS INTEGER) FROM outbox o JOIN complaints c ON c.id = o.complaint_id
                WHERE o.recipient = @user AND c.tracking_number = @number AND o.purpose = @purpose AND o.provider_message_id IS NOT NULL
                """, new { user = user.ToString(), number, purpose }) ?? 0;
            return id != 0;
        }, $"the '{purpose}' prompt about {number} delivered to {user}");
        return id;
    }
}
