using Microsoft.AspNetCore.WebUtilities;

namespace LaporBot.Tests.Fakes;

/// <summary>Recorded provider payloads under testdata/ (copied next to the test binary).</summary>
public static class TestData
{
    public static string Path(string relative) => System.IO.Path.Combine(AppContext.BaseDirectory, "testdata", relative);

    public static string Text(string relative) => File.ReadAllText(Path(relative)).TrimEnd('\r', '\n');

    public static byte[] Bytes(string relative) => File.ReadAllBytes(Path(relative));

    /// <summary>A form-encoded body (one line) as the ordered list of decoded pairs a webhook would see.</summary>
    public static List<KeyValuePair<string, string>> Form(string relative) =>
        QueryHelpers.ParseQuery(Text(relative)).Select(p => new KeyValuePair<string, string>(p.Key, p.Value.ToString())).ToList();
}
