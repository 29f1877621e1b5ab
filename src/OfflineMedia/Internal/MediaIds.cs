using System.Globalization;
using System.Text;

namespace OfflineMedia.Internal;

/// <summary>
/// The ids the cache can key media by: not blank, at most <see cref="MaxLength"/> characters, no control characters
/// (the cache refuses the rest, whatever it encodes). The catalog and the planner check ids here first, so one bad id
/// fails its own workout or exercise instead of the whole sync.
/// </summary>
internal static class MediaIds
{
    /// <summary>The longest id the cache keys; the same limit as its key parts.</summary>
    public const int MaxLength = 2048;

    /// <summary>Why the cache would refuse <paramref name="id"/>, or <see langword="null"/> when it can key media by it.</summary>
    public static string? Problem(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return "it is empty";
        }

        if (id.Length > MaxLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"it is {id.Length} characters long, over the {MaxLength} allowed");
        }

        foreach (var c in id)
        {
            if (char.IsControl(c))
            {
                return string.Create(CultureInfo.InvariantCulture, $"it contains a control character (U+{(int)c:X4})");
            }
        }

        return null;
    }

    /// <summary>An id as it may appear in a message: control characters escaped, and cut short when long.</summary>
    public static string Describe(string? id)
    {
        if (id is null)
        {
            return "(none)";
        }

        const int Shown = 40;
        var text = new StringBuilder(Math.Min(id.Length, Shown) + 16);
        var cut = id.Length <= Shown ? id.Length : char.IsHighSurrogate(id[Shown - 1]) ? Shown - 1 : Shown;
        foreach (var c in id.AsSpan(0, cut))
        {
            if (char.IsControl(c))
            {
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                text.Append(c);
            }
        }

        return id.Length > Shown ? text.Append(CultureInfo.InvariantCulture, $"… ({id.Length} characters)").ToString() : text.ToString();
    }
}
