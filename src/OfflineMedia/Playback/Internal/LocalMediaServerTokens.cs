using System.Collections.Concurrent;
using System.Security.Cryptography;
using OfflineMedia.Internal;

namespace OfflineMedia.Playback.Internal;

/// <summary>
/// The URLs the local media server hands out: each an unguessable token (128 random bits, as hex) mapped to what it
/// serves. One token per key (or cached file): asking again for the same media gives the same URL, serving from the
/// latest source given, so the map grows with the media played, not with the calls.
/// </summary>
internal sealed class LocalMediaServerTokens
{
    private const int TokenLength = 32;

    private readonly ConcurrentDictionary<string, LocalMediaServerTarget> _targets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<object, string> _tokens = new();

    /// <summary>The token of <paramref name="identity"/> (a key, or a file's path), which now serves <paramref name="target"/>.</summary>
    public string Add(object identity, LocalMediaServerTarget target)
    {
        var token = _tokens.GetOrAdd(identity, static _ => Hex.Lower(RandomNumberGenerator.GetBytes(TokenLength / 2)));
        _targets[token] = target;
        return token;
    }

    public LocalMediaServerTarget? Find(string token) => _targets.GetValueOrDefault(token);

    /// <summary>The token of a request's path, <c>/{token}</c> or <c>/{token}/{anything}</c>; null when it has none.</summary>
    public static string? TokenOf(string? rawUrl)
    {
        var path = rawUrl.AsSpan();
        var query = path.IndexOfAny('?', '#');
        path = query < 0 ? path : path[..query];
        if (path.Length < TokenLength + 1 || path[0] != '/' || (path.Length > TokenLength + 1 && path[TokenLength + 1] != '/'))
        {
            return null;
        }

        var token = path.Slice(1, TokenLength);
        foreach (var c in token)
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return null;
            }
        }

        return token.ToString();
    }
}
