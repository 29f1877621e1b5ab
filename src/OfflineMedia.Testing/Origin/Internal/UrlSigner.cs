using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace OfflineMedia.Testing.Internal;

/// <summary>Makes and checks signed-looking "CDN" query strings (<c>?sig=…&amp;exp=…</c>).</summary>
internal sealed class UrlSigner(TimeProvider timeProvider, TimeSpan lifetime, bool enforceExpiry)
{
    private long _nonce;

    /// <summary>Appends a fresh signature to a path: every call gives another <c>sig</c>, as real signed URLs do.</summary>
    public string Sign(string path)
    {
        var expires = (timeProvider.GetUtcNow() + lifetime).ToUnixTimeSeconds();
        var nonce = Interlocked.Increment(ref _nonce);
        var input = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{path}|{expires}|{nonce}"));
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(input, digest);
        return string.Create(CultureInfo.InvariantCulture, $"{path}?sig={Hex.Lower(digest[..16])}&exp={expires}");
    }

    public bool IsAccepted(IQueryCollection query)
    {
        var signature = query["sig"].ToString();
        if (string.IsNullOrEmpty(signature)
            || !long.TryParse(query["exp"].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var expires))
        {
            return false;
        }

        return !enforceExpiry || expires >= timeProvider.GetUtcNow().ToUnixTimeSeconds();
    }
}
