# The README's main job: train the default classifier and look at the result.
#   dotnet run --project src/PSTorch.Host -c Release -- -File examples/train.ps1
#
# Invoke-Training with no arguments trains an MLP 784-256-128-10 (ReLU) with Adam at 1e-3, in batches of 64, on the
# embedded Fashion-MNIST sample (6,000 training images), validated on its 1,000 test images, for 5 epochs, seeded.
# One record per epoch comes out as each epoch finishes; progress bars show the epoch and the batch.
param([int] $Epochs = 5)

$run = Invoke-Training -Epochs $Epochs -PassThru
$run.History | Format-Table

$test = New-DataLoader (Get-Dataset FashionMnistSample -Test) -BatchSize 500
$result = Test-Model $run.Model $test
$result

$batch = $test | Select-Object -First 1
$batch.Inputs.Index('0:5') | Get-Prediction $run.Model -ClassNames (Get-Dataset FashionMnistSample -Test).Classes |
    Format-Table Input, ClassName, Probability
