namespace PSTorch.Ops;

/// <summary>
/// einsum: each operand's repeated labels become diagonals, labels no one else needs are summed out, and operands
/// are combined left to right as one batched matmul (shared labels still needed as batch dims, the others contracted).
/// </summary>
internal static class Einsum
{
    /// <summary>A labelled operand: labels[i] names dimension i (letters 0-51, ellipsis dims from 100 up, aligned right).</summary>
    sealed record Term(Tensor Value, List<int> Labels);

    const int EllipsisBase = 100;

    public static Tensor Apply(string equation, Tensor[] operands)
    {
        var eq = equation.Replace(" ", "");
        int arrow = eq.IndexOf("->", StringComparison.Ordinal);
        var inputs = (arrow < 0 ? eq : eq[..arrow]).Split(',');
        if (inputs.Length < operands.Length) throw new ArgumentException("einsum(): more operands were provided than specified in the equation");
        if (inputs.Length > operands.Length) throw new ArgumentException("einsum(): fewer operands were provided than specified in the equation");
        int ellipsisRank = 0;
        var parsed = new List<Term>();
        for (int k = 0; k < inputs.Length; k++)
        {
            var labels = ParseInput(inputs[k], operands[k], k, out int rank);
            ellipsisRank = Math.Max(ellipsisRank, rank);
            parsed.Add(new Term(operands[k], labels));
        }
        var output = arrow < 0 ? ImplicitOutput(parsed, ellipsisRank) : ParseOutput(eq[(arrow + 2)..], ellipsisRank, parsed);
        var terms = parsed.Select(Collapse).ToList();
        var sizes = LabelSizes(terms);
        var current = SumOut(terms[0], output, terms.Skip(1));
        for (int k = 1; k < terms.Count; k++)
            current = Combine(current, SumOut(terms[k], output, terms.Skip(k + 1).Append(current)), output, terms.Skip(k + 1), sizes);
        current = SumOut(current, output, []);
        var order = output.Select(l => current.Labels.IndexOf(l)).ToArray();
        return order.Length == 0 ? current.Value : current.Value.Permute(order);
    }

    static int Letter(char c, string equation) => c switch
    {
        >= 'a' and <= 'z' => c - 'a',
        >= 'A' and <= 'Z' => 26 + c - 'A',
        _ => throw new ArgumentException($"einsum(): invalid subscript given at index {equation.IndexOf(c)} in the equation string, subscripts must be in [a-zA-Z]"),
    };

    static List<int> ParseInput(string s, Tensor t, int k, out int ellipsisRank)
    {
        int dots = s.IndexOf("...", StringComparison.Ordinal);
        var letters = (dots < 0 ? s : s.Remove(dots, 3)).Select(c => Letter(c, s)).ToList();
        ellipsisRank = 0;
        if (dots < 0)
        {
            if (letters.Count != t.NDim)
                throw new ArgumentException($"einsum(): the number of subscripts in the equation ({letters.Count}) does not match the number of dimensions ({t.NDim}) for operand {k} and no ellipsis was given");
            return letters;
        }
        ellipsisRank = t.NDim - letters.Count;
        if (ellipsisRank < 0)
            throw new ArgumentException($"einsum(): the number of subscripts in the equation ({letters.Count}) is more than the number of dimensions ({t.NDim}) for operand {k}");
        int before = s[..dots].Length;
        letters.InsertRange(before, EllipsisLabels(ellipsisRank));
        return letters;
    }

    /// <summary>Ellipsis dims are numbered from the right (100 = the last), so operands of different rank broadcast.</summary>
    static List<int> EllipsisLabels(int rank) => Enumerable.Range(0, rank).Select(i => EllipsisBase + rank - 1 - i).ToList();

    static List<int> ImplicitOutput(List<Term> terms, int ellipsisRank)
    {
        var counts = terms.SelectMany(t => t.Labels).Where(l => l < EllipsisBase).GroupBy(l => l)
            .ToDictionary(g => g.Key, g => g.Count());
        var appearsOnce = terms.SelectMany(t => t.Labels).Where(l => l < EllipsisBase && counts[l] == 1).Distinct().Order();
        return EllipsisLabels(ellipsisRank).Concat(appearsOnce).ToList();
    }

    static List<int> ParseOutput(string s, int ellipsisRank, List<Term> terms)
    {
        int dots = s.IndexOf("...", StringComparison.Ordinal);
        var labels = (dots < 0 ? s : s.Remove(dots, 3)).Select(c => Letter(c, s)).ToList();
        foreach (var l in labels)
        {
            if (labels.Count(x => x == l) > 1)
                throw new ArgumentException($"einsum(): output subscript {(char)(l < 26 ? 'a' + l : 'A' + l - 26)} appears more than once in the output");
            if (!terms.Any(t => t.Labels.Contains(l)))
                throw new ArgumentException($"einsum(): output subscript {(char)(l < 26 ? 'a' + l : 'A' + l - 26)} does not appear in the equation for any input operand");
        }
        if (dots >= 0) labels.InsertRange(s[..dots].Length, EllipsisLabels(ellipsisRank));
        return labels;
    }

    /// <summary>A label repeated within one operand takes the diagonal of those dims.</summary>
    static Term Collapse(Term term)
    {
        var value = term.Value;
        var labels = term.Labels.ToList();
        for (int i = 0; i < labels.Count; i++)
            for (int j = labels.Count - 1; j > i; j--)
                if (labels[j] == labels[i])
                {
                    // the diagonal goes last; move it back to i
                    value = value.Diagonal(0, i, j).Movedim(-1, i);
                    labels.RemoveAt(j);
                }
        return new Term(value, labels);
    }

    static Dictionary<int, long> LabelSizes(List<Term> terms)
    {
        var sizes = new Dictionary<int, long>();
        foreach (var t in terms)
            for (int i = 0; i < t.Labels.Count; i++)
            {
                long s = t.Value.ShapeRef[i];
                if (sizes.TryGetValue(t.Labels[i], out long known) && known != s && known != 1 && s != 1)
                    throw new ArgumentException($"einsum(): operands do not broadcast with remapped shapes (original->remapped)");
                sizes[t.Labels[i]] = sizes.TryGetValue(t.Labels[i], out known) ? Math.Max(known, s) : s;
            }
        return sizes;
    }

    /// <summary>Sums the labels of term that neither the output nor any of <paramref name="others"/> has.</summary>
    static Term SumOut(Term term, List<int> output, IEnumerable<Term> others)
    {
        var needed = output.Concat(others.SelectMany(o => o.Labels)).ToHashSet();
        var dims = Enumerable.Range(0, term.Labels.Count).Where(i => !needed.Contains(term.Labels[i])).ToArray();
        if (dims.Length == 0) return term;
        return new Term(term.Value.Sum(dims), term.Labels.Where(l => needed.Contains(l)).ToList());
    }

    /// <summary>a and b as one bmm: [batch, a-only, contracted] x [batch, contracted, b-only].</summary>
    static Term Combine(Term a, Term b, List<int> output, IEnumerable<Term> later, Dictionary<int, long> sizes)
    {
        var keep = output.Concat(later.SelectMany(t => t.Labels)).ToHashSet();
        var shared = a.Labels.Intersect(b.Labels).ToList();
        var batch = shared.Where(keep.Contains).ToList();
        var contracted = shared.Where(l => !keep.Contains(l)).ToList();
        var aOnly = a.Labels.Except(shared).ToList();
        var bOnly = b.Labels.Except(shared).ToList();
        long Size(IEnumerable<int> labels) => labels.Aggregate(1L, (p, l) => p * sizes[l]);
        Tensor Arrange(Term t, List<int> order)
        {
            var value = t.Value.Permute(order.Select(l => t.Labels.IndexOf(l)).ToArray());
            return value.Expand(order.Select(l => sizes[l]).ToArray());
        }
        var left = Arrange(a, [.. batch, .. aOnly, .. contracted]).Reshape(Size(batch), Size(aOnly), Size(contracted));
        var right = Arrange(b, [.. batch, .. contracted, .. bOnly]).Reshape(Size(batch), Size(contracted), Size(bOnly));
        long[] shape = [.. batch.Select(l => sizes[l]), .. aOnly.Select(l => sizes[l]), .. bOnly.Select(l => sizes[l])];
        return new Term(left.Bmm(right).Reshape(shape), [.. batch, .. aOnly, .. bOnly]);
    }
}
