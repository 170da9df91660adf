#Requires -Version 7.4
# The module as pwsh users meet it: the manifest at the repository root after `dotnet build`.

BeforeAll {
    $manifest = Join-Path $PSScriptRoot '../../PSTorch.psd1'
    Import-Module $manifest -Force
}

AfterAll {
    Remove-Module PSTorch -ErrorAction SilentlyContinue
}

Describe 'PSTorch module' {
    It 'is a valid manifest for PowerShell 7.4 Core' {
        $info = Test-ModuleManifest -Path (Join-Path $PSScriptRoot '../../PSTorch.psd1')
        $info.Version | Should -Be ([version]'0.1.0')
        $info.PowerShellVersion | Should -Be ([version]'7.4')
        $info.CompatiblePSEditions | Should -Contain 'Core'
    }

    It 'loads its binary from module/' {
        $module = Get-Module PSTorch
        $module | Should -Not -BeNullOrEmpty
        $module.ModuleType | Should -Be 'Binary'
        Split-Path $module.Path -Leaf | Should -Be 'PSTorch.dll'
        Split-Path (Split-Path $module.Path -Parent) -Leaf | Should -Be 'module'
    }

    It 'exports its commands' {
        $commands = @(Get-Command -Module PSTorch)
        $exported = @((Get-Module PSTorch).ExportedCmdlets.Keys)
        $commands.Count | Should -Be $exported.Count
        $commands | Where-Object { $_.Name -notmatch '^[A-Z][a-z]+-[A-Za-z]+$' } | Should -BeNullOrEmpty
    }

    It 'uses approved verbs only' {
        $approved = (Get-Verb).Verb
        Get-Command -Module PSTorch | Where-Object { $_.Verb -notin $approved } | Should -BeNullOrEmpty
    }
}
