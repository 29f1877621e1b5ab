namespace OfflineMedia.Playback.Internal;

/// <summary>
/// A request's <c>Range</c> header as the local media server serves it: none (the whole file), or one <c>bytes=a-b</c>,
/// <c>bytes=a-</c> or <c>bytes=-n</c>. Players ask for one range at a time; several ranges, another unit or an inverted
/// range are refused (416), and a header that is not a range at all is a bad request (400).
/// </summary>
internal readonly record struct LocalMediaServerRange
{
    // Longer than any real range header; the number parsing below never sees more.
    private const int MaxHeaderLength = 100;

    private LocalMediaServerRange(LocalMediaServerRangeKind kind, long? first = null, long? last = null)
    {
        Kind = kind;
        First = first;
        Last = last;
    }

    public LocalMediaServerRangeKind Kind { get; }

    /// <summary>Gets the first byte asked for; <see langword="null"/> for a suffix (<c>bytes=-n</c>).</summary>
    public long? First { get; }

    /// <summary>Gets the last byte asked for, or the suffix's length; <see langword="null"/> for <c>bytes=a-</c>.</summary>
    public long? Last { get; }

    public static LocalMediaServerRange Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return new(LocalMediaServerRangeKind.Whole);
        }

        var text = header.AsSpan().Trim();
        if (text.Length > MaxHeaderLength)
        {
            return new(LocalMediaServerRangeKind.Malformed);
        }

        var equals = text.IndexOf('=');
        if (equals <= 0)
        {
            return new(LocalMediaServerRangeKind.Malformed);
        }

        if (!text[..equals].Trim().Equals("bytes", StringComparison.OrdinalIgnoreCase))
        {
            return new(LocalMediaServerRangeKind.Unsupported);
        }

        var spec = text[(equals + 1)..].Trim();
        if (spec.Contains(','))
        {
            return new(LocalMediaServerRangeKind.Unsupported); // Several ranges: a multipart answer no player needs.
        }

        var dash = spec.IndexOf('-');
        if (dash < 0 || spec[(dash + 1)..].Contains('-')
            || !TryNumber(spec[..dash].Trim(), out var first) || !TryNumber(spec[(dash + 1)..].Trim(), out var last)
            || (first is null && last is null))
        {
            return new(LocalMediaServerRangeKind.Malformed);
        }

        return first > last ? new(LocalMediaServerRangeKind.Unsupported) : new(LocalMediaServerRangeKind.One, first, last);
    }

    /// <summary>The bytes to send of a file of <paramref name="length"/>; <see langword="false"/> when none of the range is in it (416).</summary>
    public bool TryResolve(long length, out long start, out long count)
    {
        start = 0;
        count = 0;
        switch (Kind)
        {
            case LocalMediaServerRangeKind.Whole:
                count = length;
                return true;
            case LocalMediaServerRangeKind.One when First is null:
                // The last n bytes; a suffix longer than the file is the whole file.
                if (Last == 0 || length == 0)
                {
                    return false;
                }

                start = Math.Max(0, length - Last!.Value);
                count = length - start;
                return true;
            case LocalMediaServerRangeKind.One when First < length:
                start = First.Value;
                count = Math.Min(Last ?? long.MaxValue, length - 1) - start + 1;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Digits only (no sign, no spaces inside); empty is no number; more digits than a long holds read as the largest.</summary>
    private static bool TryNumber(ReadOnlySpan<char> text, out long? value)
    {
        value = null;
        if (text.IsEmpty)
        {
            return true;
        }

        long number = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            number = number > (long.MaxValue - 9) / 10 ? long.MaxValue : (number * 10) + (c - '0');
        }

        value = number;
        return true;
    }
}
