using System.Globalization;
using LaporBot.Routing;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using LaporBot.Workflow;

namespace LaporBot.StatusPage.Pages.Aduan;

public sealed class CaseListModel : StaffPageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Instansi { get; set; }
    [BindProperty(SupportsGet = true)] public string? Kanal { get; set; }
    [BindProperty(SupportsGet = true)] public string? Dari { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sampai { get; set; }
    [BindProperty(SupportsGet = true)] public bool Terlambat { get; set; }
    [BindProperty(SupportsGet = true)] public int Hal { get; set; } = 1;

    internal CasePage Result { get; private set; } = null!;
    internal IReadOnlyList<AgencyRow> Agencies { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var filter = new CaseFilter
        {
            Query = Q?.Trim() is { Length: > 0 } q ? q[..Math.Min(q.Length, 200)] : null,
            Status = Status is { } st && Labels.Statuses.Contains(st) ? st : null,
            Agency = string.IsNullOrWhiteSpace(Instansi) ? null : Instansi.Trim(),
            Channel = string.IsNullOrWhiteSpace(Kanal) ? null : Kanal.Trim(),
            From = ParseDate(Dari),
            To = ParseDate(Sampai),
            OverdueOnly = Terlambat,
            Page = Math.Max(1, Hal),
        };
        await using var c = await Db.OpenAsync(HttpContext.RequestAborted);
        Agencies = await AgencyStore.ActiveAsync(c);
        Result = await StatusQueries.CasesAsync(c, filter, Time, Now);
    }

    /// <summary>The same filters, another page.</summary>
    public string PageLink(int page)
    {
        var q = new QueryBuilder();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                q.Add(key, value);
            }
        }
        Add("q", Q);
        Add("status", Status);
        Add("instansi", Instansi);
        Add("kanal", Kanal);
        Add("dari", Dari);
        Add("sampai", Sampai);
        Add("terlambat", Terlambat ? "true" : null);
        Add("hal", page.ToString(CultureInfo.InvariantCulture));
        return "/status/aduan" + q.ToQueryString();
    }

    private static DateOnly? ParseDate(string? s) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}
