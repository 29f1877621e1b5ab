using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace OfflineMedia.Internal;

/// <summary>
/// Text from the network (ids, names, reasons, URLs) as it may reach a console, a log or an exception message:
/// control characters and bidirectional overrides are written as <c>\uXXXX</c>, so a hostile id cannot move the
/// cursor, retitle or clear a terminal, forge a log line, or reorder what a reader sees.
/// </summary>
internal static class SafeText
{
    // C0 and C1 controls and DEL (ESC, BEL, CR, LF...), and the bidirectional marks, embeddings, overrides and isolates.
    private static readonly SearchValues<char> s_unsafe = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F" +
        "\u007F\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008A\u008B\u008C\u008D\u008E\u008F" +
        "\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009A\u009B\u009C\u009D\u009E\u009F" +
        "\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069");

    /// <summary>Returns <paramref name="text"/> with every control character written as <c>\uXXXX</c>; the same instance when it has none.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Escape(string? text)
    {
        var first = text is null ? -1 : text.AsSpan().IndexOfAny(s_unsafe);
        if (first < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text!.Length + 16).Append(text, 0, first);
        foreach (var c in text.AsSpan(first))
        {
            if (s_unsafe.Contains(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
