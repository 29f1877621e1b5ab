namespace OfflineMedia.Testing;

/// <summary>The group a fake media variant belongs to in the media JSON (<c>images</c> or <c>videos</c>).</summary>
public enum FakeMediaKind
{
    /// <summary>An image variant, listed under <c>images</c> and served from <c>/media/images/...</c>.</summary>
    Image,

    /// <summary>A video variant (or the video's <c>poster</c>), listed under <c>videos</c> and served from <c>/media/videos/...</c>.</summary>
    Video,
}
