# Minimal manifest for the cmdlet tests of this branch; the full manifest comes from the host work.
@{
    RootModule        = 'module/PSTorch.dll'
    ModuleVersion     = '0.1.0'
    GUID              = '592dce4d-c74e-4ad5-a45f-fef5adb723dc'
    PowerShellVersion = '7.4'
    FormatsToProcess  = @('module/PSTorch.format.ps1xml')
    TypesToProcess    = @('module/PSTorch.types.ps1xml')
    CmdletsToExport   = '*'
    FunctionsToExport = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
