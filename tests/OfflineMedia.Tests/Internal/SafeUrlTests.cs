using OfflineMedia.Internal;

namespace OfflineMedia.Tests.Internal;

public sealed class SafeUrlTests
{
    [Theory]
    [InlineData("ftp://u:SECRET@127.0.0.1/media/x.jpg", "ftp://127.0.0.1/media/x.jpg")]
    [InlineData("http://user:SECRET@[::1/bad.mp4", "http://[::1/bad.mp4")] // Does not parse as a Uri.
    [InlineData("https://user:SECRET@cdn.example.com/v.mp4?sig=SECRET&exp=1#t=SECRET", "https://cdn.example.com/v.mp4")]
    [InlineData("https://SECRET@cdn.example.com", "https://cdn.example.com")]
    [InlineData("https://user:SEC@RET@cdn.example.com/x", "https://cdn.example.com/x")] // An '@' in the password.
    [InlineData("HTTPS://user:SECRET@cdn.example.com:8443/x", "HTTPS://cdn.example.com:8443/x")]
    [InlineData("//user:SECRET@cdn.example.com/x.jpg", "//cdn.example.com/x.jpg")] // Protocol-relative.
    [InlineData(@"http:\\user:SECRET@cdn.example.com\x.jpg", @"http:\\cdn.example.com\x.jpg")] // Backslashes, read as slashes.
    [InlineData("http:user:SECRET@cdn.example.com/x.jpg", "http:cdn.example.com/x.jpg")] // No slashes after a special scheme.
    [InlineData("  http://user:SECRET@cdn.example.com/x", "  http://cdn.example.com/x")]
    [InlineData("http://user:SECRET@", "http://")]
    [InlineData("/media/x.jpg?sig=SECRET", "/media/x.jpg")]
    public void Redact_String_CutsUserInfoQueryAndFragment(string url, string expected)
    {
        var redacted = SafeUrl.Redact(url);

        Assert.Equal(expected, redacted);
        Assert.DoesNotContain("SECRET", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("RET", redacted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/media/x@2x.jpg")] // An '@' in a path is not user info.
    [InlineData("https://cdn.example.com/media/x@2x.jpg")]
    [InlineData("media/a@b.jpg")]
    [InlineData("mailto:a@b.c")]
    [InlineData("https://cdn.example.com/x.jpg")]
    public void Redact_String_WithoutUserInfoOrQuery_KeepsTheUrl(string url) =>
        Assert.Equal(url, SafeUrl.Redact(url));

    [Theory]
    [InlineData("ftp://u:SECRET@127.0.0.1/media/x.jpg", "ftp://127.0.0.1/media/x.jpg")]
    [InlineData("https://user:SECRET@cdn.example.com/v.mp4?sig=SECRET#SECRET", "https://cdn.example.com/v.mp4")]
    [InlineData("https://cdn.example.com/media/x@2x.jpg?sig=SECRET", "https://cdn.example.com/media/x@2x.jpg")]
    [InlineData("http://127.0.0.1:5123/cdn/a.jpg?sig=SECRET", "http://127.0.0.1:5123/cdn/a.jpg")]
    [InlineData("file:///etc/passwd?sig=SECRET", "file:///etc/passwd")]
    public void Redact_AbsoluteUri_CutsUserInfoQueryAndFragment(string url, string expected) =>
        Assert.Equal(expected, SafeUrl.Redact(new Uri(url)));

    [Theory]
    [InlineData("//user:SECRET@cdn.example.com/x.jpg?sig=SECRET", "//cdn.example.com/x.jpg")]
    [InlineData("media/x.jpg?sig=SECRET", "media/x.jpg")]
    public void Redact_RelativeUri_CutsUserInfoAndQuery(string url, string expected) =>
        Assert.Equal(expected, SafeUrl.Redact(new Uri(url, UriKind.Relative)));

    [Fact]
    public void Redact_ControlCharacters_AreEscaped()
    {
        var redacted = SafeUrl.Redact("/media/\u001B]0;owned\u0007.jpg");

        Assert.Equal(@"/media/\u001B]0;owned\u0007.jpg", redacted);
    }

    [Fact]
    public void Redact_Null_SaysNone() => Assert.Equal("(none)", SafeUrl.Redact((Uri?)null));
}
