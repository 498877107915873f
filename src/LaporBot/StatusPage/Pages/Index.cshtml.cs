namespace LaporBot.StatusPage.Pages;

public sealed class IndexModel : StaffPageModel
{
    internal Dashboard Data { get; private set; } = null!;

    internal StepNames Steps => HttpContext.RequestServices.GetRequiredService<StepNames>();

    public async Task OnGetAsync()
    {
        await using var c = await Db.OpenAsync(HttpContext.RequestAborted);
        Data = await StatusQueries.DashboardAsync(c, Time, Now);
    }
}
