using System.Text.Json;
using LaporBot.Complaints;
using LaporBot.Tests.Fakes;
using LaporBot.Tests.Workflow;
using static LaporBot.Tests.Workflow.DeadlineKit;

namespace LaporBot.Tests.Staff;

/// <summary>
/// The Cilacap case walked without typing a command: the buttons under each notification are the
/// step's actions, buttons that need words ask for them and the reply to that prompt completes the
/// action, and a reply to a notification acts on its case with the step's words.
/// </summary>
public class StepButtonsAndRepliesTests
{
    private static List<string> Buttons(JsonElement message) =>
        message.TryGetProperty("reply_markup", out var markup)
            ? markup.GetProperty("inline_keyboard").EnumerateArray().SelectMany(row => row.EnumerateArray())
                .Select(b => b.GetProperty("callback_data").GetString()!).ToList()
            : [];

    [Fact]
    public async Task Every_Cilacap_step_can_be_done_with_its_buttons_prompts_and_replies()
    {
        var t0 = Wib(2026, 11, 24, 9, 0);
        await using var k = await StartSopAsync("cilacap.yaml", t0);
        var number = await k.FileAndRouteAsync(Jalan);
        async Task<string?> StepAsync() => (await k.RowAsync(number)).Step;

        await k.Kit.PressAsync(Sop.Triage, $"disposisi:{number}:DPUPR");
        Assert.Equal("periksa", await StepAsync());
        var toAdmin = await k.Kit.WaitForMessageAsync(Sop.Admin, "Aduan baru untuk");
        Assert.Equal([$"terima:{number}", $"tolak:{number}"], Buttons(toAdmin));

        await k.Kit.PressAsync(Sop.Admin, $"terima:{number}");
        Assert.Equal("koordinasi", await StepAsync());
        var toLiaison = await k.Kit.WaitForMessageAsync(Sop.Penghubung, "Tahap Anda: Pejabat Penghubung berkoordinasi");
        Assert.Equal([$"teruskan:{number}"], Buttons(toLiaison));

        await k.Kit.PressAsync(Sop.Penghubung, $"teruskan:{number}");
        Assert.Equal("tindak_lanjut", await StepAsync());

        // The head replies to the notification: at a drafting step that is the draft.
        var headNote = await k.Kit.NotificationIdAsync(Sop.Kepala, number);
        await k.Kit.SayAsync(Sop.Kepala, "Tim UPT akan menambal lubang besok pagi.", replyTo: headNote);
        Assert.Equal("teruskan_hasil", await StepAsync());
        var toLiaison2 = await k.Kit.WaitForMessageAsync(Sop.Penghubung, "Tim UPT akan menambal lubang besok pagi.");
        Assert.Equal([$"teruskan:{number}", $"revisi:{number}"], Buttons(toLiaison2));

        // Revisi asks for the note; the reply to that prompt sends it back one step with it.
        await k.Kit.PressAsync(Sop.Penghubung, $"revisi:{number}");
        var prompt = await k.Kit.DeliveredIdAsync(Sop.Penghubung, "ask_revise");
        await k.Kit.SayAsync(Sop.Penghubung, "sebutkan jam pengerjaannya", replyTo: prompt);
        Assert.Equal("tindak_lanjut", await StepAsync());
        await k.Kit.WaitForMessageAsync(Sop.Kepala, "Catatan: sebutkan jam pengerjaannya");

        // The draft button asks for the text; the reply to the prompt is the new draft.
        await k.Kit.PressAsync(Sop.Kepala, $"draf:{number}");
        prompt = await k.Kit.DeliveredIdAsync(Sop.Kepala, "ask_draft");
        const string Answer = "Tim UPT Jalan menambal lubang besok pukul 08.00–11.00.";
        await k.Kit.SayAsync(Sop.Kepala, Answer, replyTo: prompt);
        Assert.Equal("teruskan_hasil", await StepAsync());

        // A reply to the liaison's notification at a forwarding step forwards it with that note.
        var liaisonNote = await k.Kit.NotificationIdAsync(Sop.Penghubung, number);
        await k.Kit.SayAsync(Sop.Penghubung, "sudah sesuai arahan kepala", replyTo: liaisonNote);
        Assert.Equal("input_jawaban", await StepAsync());
        var toAdmin2 = await k.Kit.WaitForMessageAsync(Sop.Admin, "Catatan: sudah sesuai arahan kepala");
        Assert.Equal([$"balas:{number}", $"revisi:{number}"], Buttons(toAdmin2));
        Assert.Contains(Answer, toAdmin2.GetProperty("text").GetString());

        // Balas asks for the answer (no approval in this SOP); the reply to the prompt reaches the citizen.
        await k.Kit.PressAsync(Sop.Admin, $"balas:{number}");
        prompt = await k.Kit.DeliveredIdAsync(Sop.Admin, "ask_answer");
        await k.Kit.SayAsync(Sop.Admin, Answer, replyTo: prompt);
        var row = await k.RowAsync(number);
        Assert.Equal((ComplaintStatus.Answered, Answer), (row.Status, row.Answer));
        await k.Kit.WaitForMessageAsync(Routing.RoutingKit.Citizen, Answer);

        Assert.Equal(
            ["assigned", "accepted", "forwarded", "drafted", "revised", "drafted", "forwarded", "answered"],
            (await k.Kit.TimelineAsync(number)).Select(e => e.Kind).SkipWhile(kind => kind != "assigned"));
    }

    [Fact]
    public async Task A_button_for_another_roles_step_is_refused_and_changes_nothing()
    {
        var t0 = Wib(2026, 11, 24, 9, 0);
        await using var k = await StartSopAsync("cilacap.yaml", t0);
        var number = await k.FileAndRouteAsync(Jalan);
        await k.Kit.SayAsync(Sop.Triage, $"/disposisi {number} DPUPR");
        var before = await k.Kit.SnapshotAsync(number);

        await k.Kit.PressAsync(Sop.Kepala, $"terima:{number}");   // the admin's step
        await k.Kit.PressAsync(Sop.DlhAdmin, $"terima:{number}"); // another agency
        await k.Kit.PressAsync(Sop.Admin, $"revisi:{number}");    // the admin's step offers no revise

        await k.Kit.WaitForMessageAsync(Sop.Kepala, "bukan untuk peran Anda");
        await k.Kit.WaitForMessageAsync(Sop.DlhAdmin, "tidak ditangani instansi Anda");
        await k.Kit.WaitForMessageAsync(Sop.Admin, "perintah ini tidak berlaku di tahap ini");
        Assert.Equal(before, await k.Kit.SnapshotAsync(number));
        Assert.Equal(0, await Db.ScalarAsync<long>(k.Kit.DatabasePath, "SELECT COUNT(*) FROM outbox WHERE purpose LIKE 'ask_%'"));
    }
}
