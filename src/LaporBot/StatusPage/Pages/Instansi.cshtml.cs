using LaporBot.Channels.Telegram;
using LaporBot.Routing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using LaporBot.Workflow;

namespace LaporBot.StatusPage.Pages;

public sealed class AgenciesModel : StaffPageModel
{
    internal IReadOnlyList<AgencyRow> Agencies { get; private set; } = [];

    internal IReadOnlyDictionary<string, long> AdminCounts { get; private set; } = new Dictionary<string, long>();
    internal HashSet<string> Configured { get; private set; } = [];
    internal List<string> Errors { get; } = [];

    [TempData] public string? InviteCode { get; set; }
    [TempData] public string? InviteFor { get; set; }
    [TempData] public string? InviteUntil { get; set; }
    [TempData] public string? InviteLink { get; set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAddAsync(AgencyInput input)
    {
        if (RequireOperator() is { } denied)
        {
            return denied;
        }
        Errors.AddRange(input.Validate());
        if (Errors.Count == 0 && !await AgencyAdmin.AddAsync(Db, input, Now))
        {
            Errors.Add($"Kode {input.Code.Trim().ToUpperInvariant()} sudah dipakai instansi lain.");
        }
        if (Errors.Count > 0)
        {
            await LoadAsync();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Flash = $"Instansi {input.Code.Trim().ToUpperInvariant()} ditambahkan.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostEditAsync(AgencyInput input)
    {
        if (RequireOperator() is { } denied)
        {
            return denied;
        }
        Errors.AddRange(input.Validate());
        if (Errors.Count == 0 && !await AgencyAdmin.UpdateAsync(Db, input, Now))
        {
            Errors.Add($"Instansi {input.Code} tidak ditemukan.");
        }
        if (Errors.Count > 0)
        {
            await LoadAsync();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Flash = $"Instansi {input.Code.Trim().ToUpperInvariant()} diperbarui.";
        return RedirectToPage();
    }

    /// <summary>A one-time code an agency admin (or a triage desk member) sends to the bot as /start CODE.</summary>
    public async Task<IActionResult> OnPostInviteAsync(string? code)
    {
        if (RequireOperator() is { } denied)
        {
            return denied;
        }
        var services = HttpContext.RequestServices;
        var triage = string.Equals(code, "triage", StringComparison.OrdinalIgnoreCase);
        string? agencyCode = null;
        string? agencyName = null;
        if (!triage)
        {
            await using var c = await Db.OpenAsync(HttpContext.RequestAborted);
            if (string.IsNullOrWhiteSpace(code) || await AgencyStore.FindAsync(c, code.Trim()) is not { Active: true } agency)
            {
                FlashError = "Instansi tidak ditemukan atau tidak aktif.";
                return RedirectToPage();
            }
            agencyCode = agency.Code;
            agencyName = agency.Name;
        }
        var validFor = services.GetRequiredService<IOptions<RoutingOptions>>().Value.InviteValidFor;
        var now = Now;
        var invite = await AgencyStore.CreateInviteAsync(Db, triage ? StaffRole.Triage : StaffRole.Agency, agencyCode, Actor, validFor, now);
        var bot = services.GetRequiredService<IOptions<TelegramOptions>>().Value.BotUsername.TrimStart('@');
        InviteCode = invite;
        InviteFor = triage ? "Admin Utama (meja triase)" : $"admin {agencyCode} ({agencyName})";
        InviteUntil = Time.Format((now + validFor).ToUnixTimeMilliseconds());
        InviteLink = bot.Length > 0 ? $"https://t.me/{bot}?start={invite}" : null;
        return RedirectToPage();
    }

    private async Task LoadAsync()
    {
        await using var c = await Db.OpenAsync(HttpContext.RequestAborted);
        Agencies = await AgencyAdmin.ListAsync(c);
        AdminCounts = await AgencyAdmin.AdminCountsAsync(c);
        Configured = HttpContext.RequestServices.GetRequiredService<IOptions<List<AgencyConfig>>>().Value
            .Select(a => a.Code.Trim().ToUpperInvariant()).ToHashSet();
    }
}
