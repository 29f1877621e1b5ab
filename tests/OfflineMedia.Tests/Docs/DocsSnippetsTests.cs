using System.Text.RegularExpressions;

namespace OfflineMedia.Tests.Docs;

/// <summary>
/// The code in README.md and docs/*.md is the code compiled in docs/snippets: each block under a
/// <c>&lt;!-- snippet: name --&gt;</c> marker must be the text of the <c>#region name</c> parts there, so a renamed
/// API breaks the build instead of leaving the docs wrong.
/// </summary>
public sealed partial class DocsSnippetsTests
{
    private static readonly string s_root = FindRoot();

    public static TheoryData<string> Documents() => new(DocumentPaths());

    [Theory]
    [MemberData(nameof(Documents))]
    public void Document_EverySnippetBlock_IsTheCompiledRegion(string document)
    {
        var regions = Regions();
        var lines = File.ReadAllLines(Path.Combine(s_root, document));
        for (var i = 0; i < lines.Length; i++)
        {
            var marker = SnippetMarker().Match(lines[i]);
            if (!marker.Success)
            {
                continue;
            }

            var name = marker.Groups[1].Value;
            Assert.True(regions.TryGetValue(name, out var expected), $"{document}:{i + 1} names snippet '{name}', which no #region in docs/snippets defines.");
            Assert.True(i + 1 < lines.Length && lines[i + 1].StartsWith("```csharp", StringComparison.Ordinal), $"{document}:{i + 1}: the snippet marker must be followed by a ```csharp block.");
            var block = lines.Skip(i + 2).TakeWhile(l => !l.StartsWith("```", StringComparison.Ordinal)).ToList();
            Assert.Equal(expected, string.Join('\n', block));
        }
    }

    [Fact]
    public void Snippets_EveryRegion_IsShownInTheDocs()
    {
        var shown = DocumentPaths().Select(d => File.ReadAllText(Path.Combine(s_root, d))).ToList();
        foreach (var name in Regions().Keys)
        {
            Assert.True(shown.Any(text => text.Contains($"<!-- snippet: {name} -->", StringComparison.Ordinal)), $"The snippet '{name}' is not shown in any document.");
        }
    }

    private static IEnumerable<string> DocumentPaths() =>
        Directory.EnumerateFiles(Path.Combine(s_root, "docs"), "*.md").Order(StringComparer.Ordinal)
            .Select(file => Path.GetRelativePath(s_root, file).Replace('\\', '/'))
            .Prepend("README.md");

    /// <summary>Each region's lines, dedented; parts of one name in one file are joined by a blank line.</summary>
    private static Dictionary<string, string> Regions()
    {
        var parts = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(s_root, "docs", "snippets"), "*.cs").Order(StringComparer.Ordinal))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var start = RegionStart().Match(lines[i]);
                if (!start.Success)
                {
                    continue;
                }

                var body = lines.Skip(i + 1).TakeWhile(l => l.Trim() != "#endregion").ToList();
                var indent = body.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
                var text = string.Join('\n', body.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())).TrimEnd('\n');
                if (!parts.TryGetValue(start.Groups[1].Value, out var list))
                {
                    parts[start.Groups[1].Value] = list = [];
                }

                list.Add(text);
                i += body.Count;
            }
        }

        return parts.ToDictionary(p => p.Key, p => string.Join("\n\n", p.Value), StringComparer.Ordinal);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OfflineMedia.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with OfflineMedia.sln) was not found above the test's folder.");
    }

    [GeneratedRegex(@"^<!-- snippet: ([a-z0-9-]+) -->\s*$")]
    private static partial Regex SnippetMarker();

    [GeneratedRegex(@"^\s*#region ([a-z0-9-]+)\s*$")]
    private static partial Regex RegionStart();
}
