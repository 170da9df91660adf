#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, demonstrates or packages PSTorch.

.DESCRIPTION
    The front door for pwsh users. Every task builds first: `dotnet build` of the solution, which
    also lays out the module in module/ beside PSTorch.psd1, and the CUDA kernels with
    native/cuda/build.sh when that script exists and nvcc is on PATH.

.PARAMETER Task
    Build   - build only (the default).
    Test    - build, then `dotnet test` and the Pester suite in tests/pester (when Pester 5 is installed).
    Demo    - build, then run examples/tour.ps1 with the built module imported.
    Package - build, then copy PSTorch.psd1 and module/ to -OutputPath, ready for $env:PSModulePath.

.PARAMETER Configuration
    The dotnet build configuration.

.PARAMETER OutputPath
    Where -Task Package puts the module folder (a PSTorch folder is created inside it).

.EXAMPLE
    ./build.ps1

.EXAMPLE
    ./build.ps1 -Task Test

.EXAMPLE
    ./build.ps1 -Task Package -OutputPath ./artifacts
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Package')]
    [string] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',

    [string] $OutputPath = (Join-Path $PSScriptRoot 'artifacts')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Invoke-Native {
    param([string] $Command, [string[]] $Arguments)
    Write-Host "> $Command $($Arguments -join ' ')" -ForegroundColor Cyan
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Command exited with code $LASTEXITCODE." }
}

function Invoke-Build {
    $cudaBuild = Join-Path $PSScriptRoot 'native/cuda/build.sh'
    if (-not (Test-Path $cudaBuild)) {
        Write-Host 'CUDA kernels: skipped (native/cuda/build.sh does not exist yet).'
    }
    elseif (-not (Get-Command nvcc -ErrorAction SilentlyContinue)) {
        Write-Host 'CUDA kernels: skipped (nvcc is not on PATH); PSTorch will run on the CPU.'
    }
    else {
        Invoke-Native bash @($cudaBuild)
    }
    Invoke-Native dotnet @('build', (Join-Path $PSScriptRoot 'PSTorch.sln'), '-c', $Configuration)
}

function Invoke-Test {
    Invoke-Native dotnet @('test', (Join-Path $PSScriptRoot 'PSTorch.sln'), '-c', $Configuration, '--no-build')
    $pester = Get-Module -ListAvailable Pester | Where-Object Version -GE ([version]'5.1') | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $pester) {
        Write-Warning 'Pester suite: skipped (Pester 5.1+ is not installed; Install-Module Pester -MinimumVersion 5.1).'
        return
    }
    Import-Module $pester -Force
    $result = Invoke-Pester -Path (Join-Path $PSScriptRoot 'tests/pester') -Output Detailed -PassThru
    if ($result.FailedCount -gt 0) { throw "Pester: $($result.FailedCount) test(s) failed." }
}

function Invoke-Demo {
    $tour = Join-Path $PSScriptRoot 'examples/tour.ps1'
    Invoke-Native (Get-Process -Id $PID).Path @('-NoProfile', '-Command', "Import-Module '$(Join-Path $PSScriptRoot 'PSTorch.psd1')'; & '$tour'")
}

function Invoke-Package {
    $target = Join-Path $OutputPath 'PSTorch'
    if (Test-Path $target) { Remove-Item $target -Recurse -Force }
    New-Item -ItemType Directory -Path $target | Out-Null
    Copy-Item (Join-Path $PSScriptRoot 'PSTorch.psd1') $target
    Copy-Item (Join-Path $PSScriptRoot 'module') $target -Recurse
    Test-ModuleManifest (Join-Path $target 'PSTorch.psd1') | Out-Null
    Write-Host "Packaged module: $target"
}

Invoke-Build
switch ($Task) {
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Package' { Invoke-Package }
}
