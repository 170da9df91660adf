using PSTorch.Bindings.Generator;
using PSTorch.Cuda.Bindings;
using PSTorch.Tests.PowerShell;

namespace PSTorch.Tests.Cuda;

/// <summary>The committed bindings match the header, and the generator's parser handles (and refuses) what it should.</summary>
public sealed class BindingsTests
{
    [Fact]
    public void CommittedBindingsAreCurrent()
    {
        var header = File.ReadAllText(Path.Combine(RepositoryPaths.Root, Paths.Header));
        var committed = File.ReadAllText(Path.Combine(RepositoryPaths.Root, Paths.Output));
        Assert.True(PSTorch.Bindings.Generator.Bindings.Generate(header) == committed,
            $"{Paths.Output} is stale: run `dotnet run --project bindings/Generator` and commit the result.");
    }

    [Fact]
    public void DTypeCodesAreTheEngineEnumValues()
    {
        foreach (var dtype in Enum.GetValues<DType>())
            Assert.Equal(dtype.ToString(), ((PstDtype)(int)dtype).ToString(), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(Enum.GetValues<DType>().Length, Enum.GetValues<PstDtype>().Length);
    }

    [Fact]
    public unsafe void TensorDescriptorHasTheCLayout()
    {
        Assert.Equal(8 + 4 + 4 + 8 * 8 + 8 * 8, sizeof(PstTensor));
        Assert.Equal(256 + 8 + 10 * 4, sizeof(PstDeviceProperties));
    }

    const string Sample = """
        #ifndef X_H
        #define X_H
        /// The ABI version.
        #define PST_VERSION 3
        #define PST_API __attribute__((visibility("default")))
        #ifdef __cplusplus
        extern "C" {
        #endif
        /* a block comment; with a semicolon */
        /// Kinds of things.
        typedef enum pst_kind {
            PST_KIND_ONE = 1,
            /// The second.
            PST_KIND_TWO = 0x2,
        } pst_kind;
        typedef struct pst_box {
            void* data;
            int64_t sizes[PST_VERSION];
            pst_kind kind;
        } pst_box;
        /// Does it.
        PST_API pst_kind pst_do_thing(const pst_box* box, void** event,
                                      uint64_t byte_count, double params);
        PST_API const char* pst_name(void);
        #ifdef __cplusplus
        }
        #endif
        #endif
        """;

    [Fact]
    public void ParserReadsTheRestrictedStyle()
    {
        var header = HeaderParser.Parse(Sample);
        var constant = Assert.Single(header.Constants);
        Assert.Equal(("PST_VERSION", 3L), (constant.Name, constant.Value));
        Assert.Equal(["The ABI version."], constant.Doc);
        var kind = Assert.Single(header.Enums);
        Assert.Equal([("PST_KIND_ONE", 1L), ("PST_KIND_TWO", 2L)], kind.Members.Select(m => (m.Name, m.Value)));
        Assert.Equal(["Kinds of things."], kind.Doc);
        Assert.Equal(["The second."], kind.Members[1].Doc);
        var box = Assert.Single(header.Structs);
        Assert.Equal(3L, box.Fields[1].ArrayLength);
        Assert.Equal(2, header.Functions.Count);
        var thing = header.Functions[0];
        Assert.Equal(["box", "event", "byte_count", "params"], thing.Parameters.Select(p => p.Name));
        Assert.Equal(new CType("pst_box", 1, true), thing.Parameters[0].Type);
        Assert.Equal(new CType("void", 2, false), thing.Parameters[1].Type);
        Assert.Empty(header.Functions[1].Parameters);
    }

    [Fact]
    public void EmitterWritesBlittableDeclarations()
    {
        var code = CSharpEmitter.Emit(HeaderParser.Parse(Sample), "x.h");
        Assert.Contains("internal enum PstKind", code);
        Assert.Contains("    One = 1,", code);
        Assert.Contains("    public fixed long Sizes[3];", code);
        Assert.Contains("public static partial PstKind DoThing(PstBox* box, void** @event, ulong byteCount, double @params);", code);
        Assert.Contains("public static partial byte* Name();", code);
        Assert.Contains("public const int Version = 3;", code);
    }

    [Theory]
    [InlineData("PST_API int pst_f(void);", "use a fixed-width type instead of 'int'")]
    [InlineData("PST_API size_t pst_f(void);", "use a fixed-width type instead of 'size_t'")]
    [InlineData("PST_API int32_t pst_f(int32_t);", "every parameter needs a name")]
    [InlineData("PST_API int32_t pst_f(widget_t w);", "unknown type 'widget_t'")]
    [InlineData("typedef enum pst_e { PST_A, PST_B = 1 } pst_e;", "needs an explicit value")]
    [InlineData("typedef enum pst_e { PST_A = 0 } pst_other;", "must repeat the tag")]
    [InlineData("typedef union pst_u { int32_t a; } pst_u;", "only 'typedef enum' and 'typedef struct'")]
    [InlineData("typedef struct pst_s { int32_t a[n]; } pst_s;", "array length")]
    [InlineData("int32_t pst_f(void);", "unsupported declaration")]
    [InlineData("PST_API char* pst_f(void);", "only supported as 'const char*'")]
    [InlineData("PST_API int32_t pst_f(int32_t* const p);", "'const' after '*'")]
    [InlineData("PST_API void pst_f(void);\nPST_API void pst_f(void);", "declared twice")]
    [InlineData("/* open", "block comment is not closed")]
    public void ParserRefusesWhatItDoesNotUnderstand(string declaration, string expected)
    {
        var e = Assert.Throws<HeaderParseException>(() => HeaderParser.Parse(declaration));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void ParseErrorsNameTheLine()
    {
        var e = Assert.Throws<HeaderParseException>(() => HeaderParser.Parse("// one\n/* two\n three */\nPST_API int pst_f(void);"));
        Assert.Equal(4, e.Line);
    }
}
