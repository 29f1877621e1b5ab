using System.Diagnostics.CodeAnalysis;

namespace OfflineMedia.Variants;

/// <summary>The variant chosen for one media item (an image, a video or a poster), with its estimated size.</summary>
public readonly struct VariantChoice : IEquatable<VariantChoice>
{
    internal VariantChoice(VariantChoiceStatus status, string? requested, MediaVariant? variant, long estimatedBytes)
    {
        Status = status;
        Requested = requested;
        Variant = variant;
        EstimatedBytes = estimatedBytes;
    }

    /// <summary>Gets how the choice came about.</summary>
    public VariantChoiceStatus Status { get; }

    /// <summary>Gets the variant name the rules asked for, or <see langword="null"/> when the media is not wanted.</summary>
    public string? Requested { get; }

    /// <summary>Gets the chosen variant, or <see langword="null"/> when there is none (see <see cref="Status"/>).</summary>
    public MediaVariant? Variant { get; }

    /// <summary>Gets the size to expect: the server's figure, else the variant's typical size (for example 200 KB for a medium image); 0 without a variant.</summary>
    public long EstimatedBytes { get; }

    /// <summary>Gets a value indicating whether a variant was chosen.</summary>
    [MemberNotNullWhen(true, nameof(Variant))]
    public bool HasVariant => Variant is not null;

    /// <summary>Compares two choices.</summary>
    /// <param name="left">The first choice.</param>
    /// <param name="right">The second choice.</param>
    /// <returns><see langword="true"/> when they are equal.</returns>
    public static bool operator ==(VariantChoice left, VariantChoice right) => left.Equals(right);

    /// <summary>Compares two choices.</summary>
    /// <param name="left">The first choice.</param>
    /// <param name="right">The second choice.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(VariantChoice left, VariantChoice right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(VariantChoice other) =>
        Status == other.Status && Requested == other.Requested && ReferenceEquals(Variant, other.Variant) && EstimatedBytes == other.EstimatedBytes;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is VariantChoice other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Status, Requested, Variant, EstimatedBytes);

    /// <inheritdoc />
    public override string ToString() => Status switch
    {
        VariantChoiceStatus.NotWanted => "not wanted",
        VariantChoiceStatus.NotAvailable => $"none available (wanted {Requested})",
        VariantChoiceStatus.Nearest => $"{Variant!.Name} (nearest to {Requested})",
        _ => Variant!.Name,
    };
}
