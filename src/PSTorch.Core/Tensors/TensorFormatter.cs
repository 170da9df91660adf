using System.Globalization;
using System.Numerics;
using System.Text;

namespace PSTorch;

/// <summary>torch.set_printoptions: digits after the point, summarising threshold, edge items, line width, scientific mode (null: automatic).</summary>
public sealed record PrintOptions(int Precision = 4, long Threshold = 1000, int EdgeItems = 3, int LineWidth = 80, bool? SciMode = null);

/// <summary>
/// Tensor.ToString() as PyTorch's repr (torch/_tensor_str.py): one width for all elements, fixed or scientific
/// notation chosen from the displayed values, "..." summaries past the threshold, wrapping at the line width, and
/// the dtype/size/device/grad suffixes.
/// </summary>
internal static class TensorFormatter
{
    public static PrintOptions Options { get; set; } = new();

    const string Prefix = "tensor(";

    public static string Repr(Tensor tensor)
    {
        var opts = Options;
        int indent = Prefix.Length;
        var suffixes = new List<string>();
        var t = tensor.OnHost();
        if (tensor.Device.Type != DeviceType.Cpu) suffixes.Add($"device='{tensor.Device}'");
        string body;
        if (t.Numel() == 0)
        {
            if (t.NDim != 1) suffixes.Add("size=" + PythonTuple(t.ShapeRef));
            if (t.DType != DTypes.DefaultFloat) suffixes.Add("dtype=" + t.DType.TorchName());
            body = "[]";
        }
        else
        {
            if (opts.EdgeItems == 0) suffixes.Add("size=" + PythonTuple(t.ShapeRef));
            bool defaultDType = t.DType == DTypes.DefaultFloat || t.DType == DType.Int64 || t.DType == DType.Bool;
            if (!defaultDType) suffixes.Add("dtype=" + t.DType.TorchName());
            body = new Printer(t, opts).Body(indent);
        }
        if (tensor.GradFn != null) suffixes.Add($"grad_fn=<{tensor.GradFn.Name}>");
        else if (tensor.RequiresGrad) suffixes.Add("requires_grad=True");
        return AddSuffixes(Prefix + body, suffixes, indent, opts.LineWidth);
    }

    /// <summary>_add_suffixes: each suffix goes on the last line if it fits the line width, otherwise on a new indented line.</summary>
    static string AddSuffixes(string text, List<string> suffixes, int indent, int lineWidth)
    {
        var sb = new StringBuilder(text);
        // PyTorch measures the last line as len - rfind("\n") + 1 (two more than its length when there is no newline)
        int lastLineLength = text.Length - text.LastIndexOf('\n') + 1;
        foreach (var suffix in suffixes)
        {
            if (lastLineLength + suffix.Length + 2 > lineWidth)
            {
                sb.Append(",\n").Append(' ', indent).Append(suffix);
                lastLineLength = indent + suffix.Length;
            }
            else
            {
                sb.Append(", ").Append(suffix);
                lastLineLength += suffix.Length + 2;
            }
        }
        return sb.Append(')').ToString();
    }

    static string PythonTuple(long[] shape) =>
        shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";

    /// <summary>Walks the displayed elements (all, or the edge items of each dimension when summarising).</summary>
    sealed unsafe class Printer
    {
        readonly Tensor t;
        readonly PrintOptions opts;
        readonly bool summarize;
        readonly bool floating;
        bool intMode = true, sciMode;
        int width = 1;

        public Printer(Tensor t, PrintOptions opts)
        {
            this.t = t;
            this.opts = opts;
            summarize = t.Numel() > opts.Threshold;
            floating = t.DType.IsFloatingPoint();
            Measure();
        }

        /// <summary>The indices of dimension d that are displayed.</summary>
        IEnumerable<long> Shown(int d)
        {
            long size = t.ShapeRef[d];
            if (summarize && size > 2L * opts.EdgeItems)
            {
                for (long i = 0; i < opts.EdgeItems; i++) yield return i;
                for (long i = size - opts.EdgeItems; i < size; i++) yield return i;
            }
            else
                for (long i = 0; i < size; i++) yield return i;
        }

        bool Elided(int d) => summarize && t.ShapeRef[d] > 2L * opts.EdgeItems;

        void ForEachShown(int d, long offset, Action<long> visit)
        {
            if (d == t.NDim) { visit(offset); return; }
            foreach (var i in Shown(d)) ForEachShown(d + 1, offset + i * t.StridesRef[d], visit);
        }

        double FloatAt(long offset) => t.DType switch
        {
            DType.Float64 => t.Ptr<double>()[offset],
            DType.Float32 => t.Ptr<float>()[offset],
            DType.Float16 => (double)t.Ptr<Half>()[offset],
            _ => (float)t.Ptr<BFloat16>()[offset],
        };

        string IntegerAt(long offset) => t.DType switch
        {
            DType.Int64 => t.Ptr<long>()[offset].ToString(CultureInfo.InvariantCulture),
            DType.Int32 => t.Ptr<int>()[offset].ToString(CultureInfo.InvariantCulture),
            DType.Int16 => t.Ptr<short>()[offset].ToString(CultureInfo.InvariantCulture),
            DType.Int8 => t.Ptr<sbyte>()[offset].ToString(CultureInfo.InvariantCulture),
            DType.UInt8 => t.Ptr<byte>()[offset].ToString(CultureInfo.InvariantCulture),
            _ => t.Ptr<byte>()[offset] != 0 ? "True" : "False",
        };

        /// <summary>_Formatter.__init__: the mode and the common width from the displayed values.</summary>
        void Measure()
        {
            if (!floating)
            {
                ForEachShown(0, 0, off => width = Math.Max(width, IntegerAt(off).Length));
                return;
            }
            var values = new List<double>();
            ForEachShown(0, 0, off =>
            {
                double v = FloatAt(off);
                if (double.IsFinite(v) && v != 0) values.Add(v);
            });
            if (values.Count == 0) return;
            double min = double.MaxValue, max = 0;
            foreach (var v in values)
            {
                min = Math.Min(min, Math.Abs(v));
                max = Math.Max(max, Math.Abs(v));
                if (v != Math.Ceiling(v)) intMode = false;
            }
            bool wide = max / min > 1000.0 || max > 1.0e8;
            sciMode = intMode ? wide : wide || min < 1.0e-4;
            foreach (var v in values)
                width = Math.Max(width, sciMode ? Scientific(v, opts.Precision).Length
                    : intMode ? Fixed(v, 0).Length + 1 : Fixed(v, opts.Precision).Length);
            if (opts.SciMode is { } forced) sciMode = forced;
        }

        string Format(long offset)
        {
            string s;
            if (!floating) s = IntegerAt(offset);
            else
            {
                double v = FloatAt(offset);
                s = sciMode ? Scientific(v, opts.Precision)
                    : intMode ? Fixed(v, 0) + (double.IsFinite(v) ? "." : "")
                    : Fixed(v, opts.Precision);
            }
            return s.Length < width ? new string(' ', width - s.Length) + s : s;
        }

        public string Body(int indent) => Sub(0, 0, indent);

        string Sub(int d, long offset, int indent)
        {
            int remaining = t.NDim - d;
            if (remaining == 0) return Format(offset);
            var stride = t.StridesRef[d];
            if (remaining == 1) return Vector(d, offset, indent);
            var slices = new List<string>();
            long size = t.ShapeRef[d];
            if (Elided(d))
            {
                for (long i = 0; i < opts.EdgeItems; i++) slices.Add(Sub(d + 1, offset + i * stride, indent + 1));
                slices.Add("...");
                for (long i = size - opts.EdgeItems; i < size; i++) slices.Add(Sub(d + 1, offset + i * stride, indent + 1));
            }
            else
                for (long i = 0; i < size; i++) slices.Add(Sub(d + 1, offset + i * stride, indent + 1));
            return "[" + string.Join("," + new string('\n', remaining - 1) + new string(' ', indent + 1), slices) + "]";
        }

        string Vector(int d, long offset, int indent)
        {
            int elementsPerLine = Math.Max(1, (opts.LineWidth - indent) / (width + 2));
            var stride = t.StridesRef[d];
            long size = t.ShapeRef[d];
            var data = new List<string>();
            if (summarize && opts.EdgeItems == 0) data.Add("...");
            else if (Elided(d))
            {
                for (long i = 0; i < opts.EdgeItems; i++) data.Add(Format(offset + i * stride));
                data.Add(" ...");
                for (long i = size - opts.EdgeItems; i < size; i++) data.Add(Format(offset + i * stride));
            }
            else
                for (long i = 0; i < size; i++) data.Add(Format(offset + i * stride));
            var lines = new List<string>();
            for (int i = 0; i < data.Count; i += elementsPerLine)
                lines.Add(string.Join(", ", data.Skip(i).Take(elementsPerLine)));
            return "[" + string.Join(",\n" + new string(' ', indent + 1), lines) + "]";
        }
    }

    /// <summary>Python's f"{v:.{p}f}": the exact binary value rounded half-to-even to p decimals.</summary>
    internal static string Fixed(double v, int precision)
    {
        if (!double.IsFinite(v)) return NonFinite(v);
        var (mantissa, exponent) = Decompose(Math.Abs(v));
        var q = RoundRatio(mantissa, exponent, precision);
        var digits = q.ToString(CultureInfo.InvariantCulture).PadLeft(precision + 1, '0');
        var s = precision > 0 ? digits[..^precision] + "." + digits[^precision..] : digits;
        return double.IsNegative(v) ? "-" + s : s;
    }

    /// <summary>Python's f"{v:.{p}e}": d.ddd...e±XX with at least two exponent digits, rounded half-to-even.</summary>
    internal static string Scientific(double v, int precision)
    {
        if (!double.IsFinite(v)) return NonFinite(v);
        double a = Math.Abs(v);
        string sign = double.IsNegative(v) ? "-" : "";
        if (a == 0) return sign + "0" + (precision > 0 ? "." + new string('0', precision) : "") + "e+00";
        var (mantissa, exponent) = Decompose(a);
        int e10 = (int)Math.Floor(Math.Log10(a));
        var low = BigInteger.Pow(10, precision);
        var q = RoundRatio(mantissa, exponent, precision - e10);
        // Log10 can be off by one near powers of ten, and rounding can carry into a new digit
        while (q >= low * 10) { e10++; q = RoundRatio(mantissa, exponent, precision - e10); }
        while (q < low) { e10--; q = RoundRatio(mantissa, exponent, precision - e10); }
        var digits = q.ToString(CultureInfo.InvariantCulture);
        var s = precision > 0 ? digits[..1] + "." + digits[1..] : digits;
        return sign + s + "e" + (e10 < 0 ? "-" : "+") + Math.Abs(e10).ToString("00", CultureInfo.InvariantCulture);
    }

    static string NonFinite(double v) => double.IsNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";

    /// <summary>a = mantissa * 2^exponent exactly.</summary>
    static (BigInteger mantissa, int exponent) Decompose(double a)
    {
        long bits = BitConverter.DoubleToInt64Bits(a);
        int biased = (int)((bits >> 52) & 0x7FF);
        long fraction = bits & ((1L << 52) - 1);
        return biased == 0 ? (fraction, -1074) : (fraction | (1L << 52), biased - 1075);
    }

    /// <summary>round(mantissa * 2^exponent * 10^scale), ties to even, exactly.</summary>
    static BigInteger RoundRatio(BigInteger mantissa, int exponent, int scale)
    {
        BigInteger numerator = mantissa, denominator = BigInteger.One;
        if (scale >= 0) numerator *= BigInteger.Pow(10, scale); else denominator *= BigInteger.Pow(10, -scale);
        if (exponent >= 0) numerator <<= exponent; else denominator <<= -exponent;
        var q = BigInteger.DivRem(numerator, denominator, out var r);
        int c = (r * 2).CompareTo(denominator);
        if (c > 0 || (c == 0 && !q.IsEven)) q += 1;
        return q;
    }
}
