namespace LaporBot.Staff;

internal static class StaffRegistration
{
    /// <summary>The staff desk: commands, buttons and replies from any staff channel, checked and carried out through the workflow.</summary>
    public static WebApplicationBuilder AddStaff(this WebApplicationBuilder builder)
    {
        // Loaded now so that a broken texts file stops start-up with its file:line, not the first notification.
        StaffTexts.Catalog = StaffTextCatalog.LoadFile(StaffTextCatalog.ResolvePath(builder.Environment.ContentRootPath), StaffTexts.Keys);
        builder.Services.AddSingleton<StaffDesk>();
        return builder;
    }
}
