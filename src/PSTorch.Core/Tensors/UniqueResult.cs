namespace PSTorch;

/// <summary>
/// What unique and unique_consecutive return: the unique values, and, when asked for, the inverse (for every input
/// element, or slice along dim, the index of its value in <see cref="Values"/>) and the count of each value.
/// </summary>
public sealed record UniqueResult(Tensor Values, Tensor? Inverse, Tensor? Counts);
