using System.Diagnostics.CodeAnalysis;

namespace OfflineMedia.Testing;

/// <summary>An exercise of the fake catalog and the media variants the origin lists for it. Thread-safe.</summary>
public sealed class FakeExercise
{
    private readonly object _gate = new();
    private readonly List<FakeMediaVariant> _variants = [];

    internal FakeExercise(string id, string name)
    {
        Id = id;
        Name = name;
    }

    /// <summary>Gets the exercise id, as used in <c>/api/exercises/{id}/media</c>.</summary>
    public string Id { get; }

    /// <summary>Gets the display name, as listed in workouts.</summary>
    public string Name { get; }

    /// <summary>Gets a snapshot of the variants, in the order they were added.</summary>
    public IReadOnlyList<FakeMediaVariant> Variants
    {
        get
        {
            lock (_gate)
            {
                return [.. _variants];
            }
        }
    }

    /// <summary>Adds (or replaces) an image variant.</summary>
    /// <param name="name">The variant name, such as <c>thumbnail</c> or <c>medium</c>.</param>
    /// <param name="sizeBytes">The content size in bytes.</param>
    /// <param name="form">How the variant is written in the media JSON.</param>
    /// <returns>This exercise, for chaining.</returns>
    public FakeExercise AddImage(string name, long sizeBytes, FakeVariantForm form = FakeVariantForm.PlainUrl)
        => AddVariant(FakeMediaKind.Image, name, sizeBytes, form);

    /// <summary>Adds (or replaces) a video variant (<c>poster</c> is served as a JPEG image).</summary>
    /// <param name="name">The variant name, such as <c>720p</c> or <c>poster</c>.</param>
    /// <param name="sizeBytes">The content size in bytes.</param>
    /// <param name="form">How the variant is written in the media JSON.</param>
    /// <returns>This exercise, for chaining.</returns>
    public FakeExercise AddVideo(string name, long sizeBytes, FakeVariantForm form = FakeVariantForm.PlainUrl)
        => AddVariant(FakeMediaKind.Video, name, sizeBytes, form);

    /// <summary>Adds a variant, replacing one of the same kind and name.</summary>
    /// <param name="kind">The group of the variant.</param>
    /// <param name="name">The variant name; any non-empty name (unknown names test the client's tolerance).</param>
    /// <param name="sizeBytes">The content size in bytes.</param>
    /// <param name="form">How the variant is written in the media JSON.</param>
    /// <returns>This exercise, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sizeBytes"/> is negative.</exception>
    public FakeExercise AddVariant(FakeMediaKind kind, string name, long sizeBytes, FakeVariantForm form = FakeVariantForm.PlainUrl)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegative(sizeBytes);
        var variant = new FakeMediaVariant(Id, kind, name, sizeBytes, form);
        lock (_gate)
        {
            var index = _variants.FindIndex(v => v.Kind == kind && string.Equals(v.Name, name, StringComparison.Ordinal));
            if (index >= 0)
            {
                _variants[index] = variant;
            }
            else
            {
                _variants.Add(variant);
            }
        }

        return this;
    }

    /// <summary>
    /// Adds every variant of the server contract (five images; <c>720p</c>, <c>1080p</c>, <c>original</c>
    /// and <c>poster</c> videos) with their typical sizes divided by <paramref name="scale"/>.
    /// </summary>
    /// <param name="scale">The divisor of <see cref="FakeMediaSizes.Typical(FakeMediaKind, string, int)"/>.</param>
    /// <param name="form">How the variants are written in the media JSON.</param>
    /// <returns>This exercise, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is less than 1.</exception>
    public FakeExercise AddTypicalVariants(int scale = FakeMediaSizes.DefaultScale, FakeVariantForm form = FakeVariantForm.PlainUrl)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        foreach (var name in FakeMediaSizes.ImageVariants)
        {
            AddImage(name, FakeMediaSizes.Typical(FakeMediaKind.Image, name, scale), form);
        }

        foreach (var name in FakeMediaSizes.VideoVariants)
        {
            AddVideo(name, FakeMediaSizes.Typical(FakeMediaKind.Video, name, scale), form);
        }

        return this;
    }

    /// <summary>Gets a variant.</summary>
    /// <param name="kind">The group of the variant.</param>
    /// <param name="name">The variant name.</param>
    /// <returns>The variant.</returns>
    /// <exception cref="KeyNotFoundException">The exercise has no such variant.</exception>
    public FakeMediaVariant GetVariant(FakeMediaKind kind, string name)
        => TryGetVariant(kind, name, out var variant)
            ? variant
            : throw new KeyNotFoundException($"Exercise '{Id}' has no {kind} variant '{name}'.");

    /// <summary>Tries to get a variant.</summary>
    /// <param name="kind">The group of the variant.</param>
    /// <param name="name">The variant name.</param>
    /// <param name="variant">The variant when found.</param>
    /// <returns><see langword="true"/> when the exercise has the variant.</returns>
    public bool TryGetVariant(FakeMediaKind kind, string name, [NotNullWhen(true)] out FakeMediaVariant? variant)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            variant = _variants.Find(v => v.Kind == kind && string.Equals(v.Name, name, StringComparison.Ordinal));
        }

        return variant is not null;
    }

    /// <summary>Removes a variant, so the media JSON no longer lists it and its path answers 404.</summary>
    /// <param name="kind">The group of the variant.</param>
    /// <param name="name">The variant name.</param>
    /// <returns><see langword="true"/> when a variant was removed.</returns>
    public bool RemoveVariant(FakeMediaKind kind, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            return _variants.RemoveAll(v => v.Kind == kind && string.Equals(v.Name, name, StringComparison.Ordinal)) > 0;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Id;
}
