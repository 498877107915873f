namespace LaporBot.StatusPage;

/// <summary>
/// <c>staff add &lt;username&gt; &lt;role&gt;</c> (viewer, operator, kepala_seksi, kepala_bidang, penanggung_jawab). The password comes from LAPORBOT_PASSWORD or
/// standard input, never from the command line, where it would land in the shell history and in ps.
/// </summary>
internal static class StaffCli
{
    public const string PasswordVariable = "LAPORBOT_PASSWORD";

    private const string Usage =
        "Usage: staff add <username> <viewer|operator|kepala_seksi|kepala_bidang|penanggung_jawab>\n" +
        $"  The password is read from the {PasswordVariable} environment variable, or else from standard input.\n" +
        "  e.g. LAPORBOT_PASSWORD='…' dotnet run --project src/LaporBot -- staff add siti operator";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr,
        Func<string, string?> environment, bool inputRedirected)
    {
        if (args.Length != 3 || args[0] != "add")
        {
            await stderr.WriteLineAsync(Usage);
            return 2;
        }
        var (username, role) = (args[1].Trim(), args[2].Trim().ToLowerInvariant());
        var password = environment(PasswordVariable);
        if (string.IsNullOrEmpty(password))
        {
            if (!inputRedirected)
            {
                await stdout.WriteAsync($"Password for {username}: ");
                password = ReadHidden();
                await stdout.WriteLineAsync();
            }
            else
            {
                password = await stdin.ReadLineAsync();
            }
        }
        password ??= "";
        if (StaffAccounts.Problem(username, role, password) is { } problem)
        {
            await stderr.WriteLineAsync($"Cannot add staff account: {problem}.\n{Usage}");
            return 2;
        }
        if (!await services.GetRequiredService<StaffAccounts>().CreateAsync(username, role, password))
        {
            await stderr.WriteLineAsync($"A staff account named '{username}' already exists (names ignore case).");
            return 1;
        }
        await stdout.WriteLineAsync($"Added status page account '{username}' ({role}). Log in at /status/masuk.");
        return 0;
    }

    private static string ReadHidden()
    {
        var chars = new List<char>();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                return new string([.. chars]);
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                if (chars.Count > 0)
                {
                    chars.RemoveAt(chars.Count - 1);
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                chars.Add(key.KeyChar);
            }
        }
    }
}
