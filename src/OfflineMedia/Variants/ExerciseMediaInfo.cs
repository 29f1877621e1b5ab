using OfflineMedia.Variants.Internal;

namespace OfflineMedia.Variants;

/// <summary>
/// The variants of one exercise's image and video that the media API offers. Variants with names
/// outside the ladders (<see cref="MediaVariantNames"/>) are ignored, so a server can add new ones safely.
/// </summary>
public sealed class ExerciseMediaInfo
{
    private readonly MediaVariant?[] _images = new MediaVariant?[VariantLadder.ImageNames.Length];
    private readonly MediaVariant?[] _videos = new MediaVariant?[VariantLadder.VideoNames.Length];

    /// <summary>Initializes a new instance of the <see cref="ExerciseMediaInfo"/> class.</summary>
    /// <param name="images">The image variants. A <c>poster</c> here is taken as the video's poster.</param>
    /// <param name="videos">The video variants, including the <c>poster</c> as the media API lists it.</param>
    /// <exception cref="ArgumentNullException">A list, or an entry in it, is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A variant name appears twice in one list, or the poster twice.</exception>
    public ExerciseMediaInfo(IEnumerable<MediaVariant> images, IEnumerable<MediaVariant> videos)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(videos);

        foreach (var image in images)
        {
            Place(image, _images, MediaKind.Image, nameof(images));
        }

        foreach (var video in videos)
        {
            Place(video, _videos, MediaKind.Video, nameof(videos));
        }
    }

    /// <summary>Gets an instance with no variants at all.</summary>
    public static ExerciseMediaInfo Empty { get; } = new([], []);

    /// <summary>Gets the video's poster image, or <see langword="null"/> when the API lists none.</summary>
    public MediaVariant? Poster { get; private set; }

    /// <summary>Gets the image variants on the ladder, smallest first.</summary>
    public IEnumerable<MediaVariant> Images => _images.OfType<MediaVariant>();

    /// <summary>Gets the video variants on the ladder, smallest first; the poster is in <see cref="Poster"/>.</summary>
    public IEnumerable<MediaVariant> Videos => _videos.OfType<MediaVariant>();

    /// <summary>Gets the variants by ladder rank; a slot is <see langword="null"/> when the API lacks that variant.</summary>
    internal ReadOnlySpan<MediaVariant?> ImageLadder => _images;

    /// <summary>Gets the video variants by ladder rank.</summary>
    internal ReadOnlySpan<MediaVariant?> VideoLadder => _videos;

    /// <summary>Finds a variant by kind and name.</summary>
    /// <param name="kind">Image or video.</param>
    /// <param name="name">The variant name; <c>poster</c> finds the poster under either kind.</param>
    /// <returns>The variant, or <see langword="null"/> when the API does not offer it.</returns>
    public MediaVariant? Find(MediaKind kind, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == MediaVariantNames.Poster)
        {
            return Poster;
        }

        var rank = kind == MediaKind.Image ? VariantLadder.ImageRank(name) : VariantLadder.VideoRank(name);
        return rank < 0 ? null : (kind == MediaKind.Image ? _images : _videos)[rank];
    }

    private void Place(MediaVariant variant, MediaVariant?[] ladder, MediaKind kind, string paramName)
    {
        // Checked before the name is read, so a null entry is an ArgumentNullException, not a NullReferenceException.
        ArgumentNullException.ThrowIfNull(variant, paramName);
        if (variant.Name == MediaVariantNames.Poster)
        {
            if (Poster is not null)
            {
                throw new ArgumentException("The media lists the 'poster' variant twice.", paramName);
            }

            Poster = variant;
            return;
        }

        var rank = kind == MediaKind.Image ? VariantLadder.ImageRank(variant.Name) : VariantLadder.VideoRank(variant.Name);
        if (rank < 0)
        {
            return; // A variant this SDK does not know: ignored, so servers can add new ones.
        }

        if (ladder[rank] is not null)
        {
            throw new ArgumentException($"The media lists the '{variant.Name}' variant twice.", paramName);
        }

        ladder[rank] = variant;
    }
}
