using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics.Tensors;
using PSTorch.Vision;

namespace PSTorch.Data;

/// <summary>Reads IDX files (the MNIST / Fashion-MNIST format), plain or gzip-compressed.</summary>
public static class IdxFile
{
    /// <summary>The array in an IDX file as a tensor (uint8, int8, int16, int32, float32 or float64) of the file's shape.</summary>
    public static Tensor Read(string path)
    {
        byte[] bytes;
        using (var file = File.OpenRead(path))
        using (var stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file)
        using (var buffer = new MemoryStream())
        {
            try { stream.CopyTo(buffer); }
            catch (InvalidDataException e) { throw new InvalidDataException($"'{path}' is not a valid gzip file: {e.Message}", e); }
            bytes = buffer.ToArray();
        }
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0)
            throw new InvalidDataException($"'{path}' is not an IDX file (bad magic number)");
        var (dtype, size) = bytes[2] switch
        {
            0x08 => (DType.UInt8, 1),
            0x09 => (DType.Int8, 1),
            0x0B => (DType.Int16, 2),
            0x0C => (DType.Int32, 4),
            0x0D => (DType.Float32, 4),
            0x0E => (DType.Float64, 8),
            var other => throw new InvalidDataException($"'{path}': unknown IDX element type 0x{other:X2}"),
        };
        int dims = bytes[3];
        if (bytes.Length < 4 + 4 * dims) throw new InvalidDataException($"'{path}' is truncated (header)");
        var shape = new long[dims];
        for (int d = 0; d < dims; d++) shape[d] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * d));
        long count = Shapes.Numel(shape);
        int start = 4 + 4 * dims;
        if (bytes.Length - start < count * size)
            throw new InvalidDataException($"'{path}' is truncated: the header promises {count} elements of {size} bytes, the file holds {(bytes.Length - start) / size}");
        var payload = bytes.AsSpan(start, (int)(count * size));
        // IDX stores multi-byte values big-endian.
        if (size > 1 && BitConverter.IsLittleEndian)
        {
            payload = payload.ToArray();
            for (int i = 0; i < payload.Length; i += size) payload.Slice(i, size).Reverse();
        }
        var t = Tensor.Empty(shape, dtype, Device.Cpu);
        unsafe { payload.CopyTo(new Span<byte>(t.DataPointer, payload.Length)); }
        return t;
    }
}

/// <summary>
/// An image dataset from an IDX images file (N x H x W uint8) and an IDX labels file (N), e.g. MNIST or Fashion-MNIST.
/// Without a transform, sample i is { float32 [1, H, W] in [0, 1], label }; with one, the transform gets a grayscale Image.
/// </summary>
public sealed class IdxDataset : Dataset, IBatchedDataset
{
    readonly Tensor images;
    readonly long[] labels;

    public IdxDataset(string imagesPath, string labelsPath, Transform? transform = null, Func<object, object>? targetTransform = null, IReadOnlyList<string>? classes = null)
    {
        images = IdxFile.Read(imagesPath);
        var labelTensor = IdxFile.Read(labelsPath);
        if (images.DType != DType.UInt8 || images.NDim != 3) throw new InvalidDataException($"'{imagesPath}' should hold N x H x W unsigned bytes, got {images.DType.Name()} {Shapes.Format(images.ShapeRef)}");
        if (labelTensor.NDim != 1 || labelTensor.Size(0) != images.Size(0))
            throw new InvalidDataException($"'{labelsPath}' holds {Shapes.Format(labelTensor.ShapeRef)} labels for {images.Size(0)} images");
        labels = labelTensor.To(DType.Int64).ToArray<long>();
        ImagesPath = imagesPath;
        Transform = transform;
        TargetTransform = targetTransform;
        ClassNames = classes;
    }

    public string ImagesPath { get; }
    public Transform? Transform { get; set; }
    public Func<object, object>? TargetTransform { get; set; }
    readonly IReadOnlyList<string>? ClassNames;
    public override IReadOnlyList<string>? Classes => ClassNames;

    /// <summary>All images, N x H x W uint8.</summary>
    public Tensor Data => images;
    public IReadOnlyList<long> Targets => labels;

    public override int Count => labels.Length;
    public override string? SourceOf(int index) => $"{ImagesPath}#{CheckIndex(index)}";

    internal override bool SamplesAreNew => true;

    public override object GetItem(int index)
    {
        index = CheckIndex(index);
        object label = TargetTransform is null ? labels[index] : TargetTransform(labels[index]);
        if (Transform is null) return new object[] { Pixels([index]).Select(0, 0), label };
        var image = ToImage.Convert(images.Select(0, index));
        var input = Transform.Apply(image);
        if (!ReferenceEquals(input, image)) image.Dispose();
        return new object[] { input, label };
    }

    public bool CanGetBatch => Transform is null && TargetTransform is null;

    public object GetBatch(IReadOnlyList<int> indices) => new object[] { Pixels(indices), Torch.FromArray(indices.Select(i => labels[i]).ToArray()) };

    /// <summary>The images at the given indices as float32 [n, 1, H, W] in [0, 1], converted in one pass.</summary>
    unsafe Tensor Pixels(IReadOnlyList<int> indices)
    {
        long h = images.Size(1), w = images.Size(2), plane = h * w;
        var batch = Tensor.Empty([indices.Count, 1, h, w], DType.Float32, Device.Cpu);
        byte* src = images.Ptr<byte>();
        float* dst = batch.Ptr<float>();
        for (int n = 0; n < indices.Count; n++)
        {
            var pixels = new ReadOnlySpan<byte>(src + indices[n] * plane, (int)plane);
            var values = new Span<float>(dst + n * plane, (int)plane);
            TensorPrimitives.ConvertTruncating(pixels, values);
            TensorPrimitives.Multiply(values, 1f / 255, values);
        }
        return batch;
    }

    public override string Describe() => $"IdxDataset({Count} samples, {images.Size(1)}x{images.Size(2)}, '{ImagesPath}')";
}
