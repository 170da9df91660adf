using Xunit;

namespace PSTorch.Tests;

/// <summary>
/// Tests that seed the default generator and then assert on what it draws (Torch.ManualSeed, then a layer's
/// initialisation) run apart from every other test: a test class running in parallel that draws from the same
/// generator in between would change the sequence they check.
/// </summary>
[CollectionDefinition("DefaultGenerator", DisableParallelization = true)]
public sealed class DefaultGeneratorCollection;
