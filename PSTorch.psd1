@{
    RootModule           = 'module/PSTorch.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '592dce4d-c74e-4ad5-a45f-fef5adb723dc'
    Author               = 'PSTorch contributors'
    Copyright            = '(c) PSTorch contributors. MIT licence.'
    Description          = 'PyTorch''s way of working in PowerShell 7: tensors, autograd, nn, optimizers, data loaders, training and checkpoints, on the CPU or hand-written CUDA kernels.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('module/PSTorch.format.ps1xml')
    TypesToProcess       = @('module/PSTorch.types.ps1xml')
    CmdletsToExport      = '*'
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('PyTorch', 'DeepLearning', 'Tensor', 'CUDA', 'MachineLearning')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
