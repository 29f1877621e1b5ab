using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace OfflineMedia.Internal;

/// <summary>
/// The range of a <see cref="TimeSpan"/> option, its limits in the invariant <c>c</c> format (<c>[d.]hh:mm:ss[.fffffff]</c>);
/// an unset <see cref="Nullable{TimeSpan}"/> passes. Unlike <see cref="RangeAttribute"/> with a type, it needs no type
/// converter, so it stays trim- and AOT-safe. In <see cref="ValidationAttribute.ErrorMessage"/>, <c>{0}</c> is the
/// option, <c>{1}</c> and <c>{2}</c> the limits, <c>{3}</c> the value.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
internal sealed class TimeSpanRangeAttribute : ValidationAttribute
{
    /// <summary>Initializes a new instance of the <see cref="TimeSpanRangeAttribute"/> class.</summary>
    /// <param name="minimum">The shortest allowed, for example <c>00:00:01</c>.</param>
    /// <param name="maximum">The longest allowed, for example <c>1.00:00:00</c>.</param>
    public TimeSpanRangeAttribute(string minimum, string maximum)
        : base(OptionRangeAttribute.DefaultMessage)
    {
        Minimum = TimeSpan.ParseExact(minimum, "c", CultureInfo.InvariantCulture);
        Maximum = TimeSpan.ParseExact(maximum, "c", CultureInfo.InvariantCulture);
    }

    /// <summary>Gets the shortest allowed.</summary>
    public TimeSpan Minimum { get; }

    /// <summary>Gets the longest allowed.</summary>
    public TimeSpan Maximum { get; }

    /// <inheritdoc/>
    public override bool IsValid(object? value) => value switch
    {
        null => true,
        TimeSpan span => span >= Minimum && span <= Maximum,
        _ => false,
    };

    /// <inheritdoc/>
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        IsValid(value)
            ? ValidationResult.Success
            : new ValidationResult(string.Format(CultureInfo.InvariantCulture, ErrorMessageString, validationContext.MemberName, Minimum, Maximum, value));
}
