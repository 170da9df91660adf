# Placeholder tour: lists what the module offers. The tensor engine's tour replaces this.
$module = Get-Module PSTorch
if (-not $module) { $module = Import-Module "$PSScriptRoot/../PSTorch.psd1" -PassThru }
"PSTorch $($module.Version)"
Get-Command -Module PSTorch | ForEach-Object { $_.Name }
