# MLP 784-256-128-10 (ReLU) on the full Fashion-MNIST (60,000 / 10,000), Adam 1e-3, batch 64, 5 epochs.
# Target: test accuracy >= 88.5 % after 5 epochs. The learning rate starts at 1e-3 and is annealed to 0 on a cosine
# over the run, and the loss uses label smoothing 0.1: 88.91 / 89.06 / 88.89 % with seeds 0 / 1 / 2 here. A constant
# 1e-3 and plain cross-entropy (-Plain) give 87.31 / 88.25 / 88.29 % (libtorch: 87.89 % with seed 0).
#   pstorch -File examples/fashion-mnist-mlp.ps1 -DataRoot /usr/share/datasets/fashion-mnist
#   pstorch -File examples/fashion-mnist-mlp.ps1 -Device cuda     (on a GPU; bench/cuda/fmnist.sh runs it beside PyTorch)
param(
    [string] $DataRoot = '/usr/share/datasets/fashion-mnist',
    [int] $Epochs = 5,
    [int] $BatchSize = 64,
    [double] $LearningRate = 1e-3,
    [long] $Seed = 0,
    [string] $Device = 'cpu',
    [switch] $Plain,
    [string] $CheckpointPath,
    [switch] $Resume
)
$ErrorActionPreference = 'Stop'   # e.g. -Device cuda without a GPU ends the run with that error

# The images in memory as float32 [N, 1, 28, 28], scaled to [0, 1] and standardised with Fashion-MNIST's mean and std.
function Get-FashionMnist([string] $Part) {
    $ds = Get-Dataset Idx -Path (Join-Path $DataRoot "$Part-images-idx3-ubyte.gz") -LabelsPath (Join-Path $DataRoot "$Part-labels-idx1-ubyte.gz")
    $x = (($ds.Data.To('float32') / 255.0) - 0.2860) / 0.3530
    $y = New-Tensor ([long[]] $ds.Targets)
    Get-Dataset Tensor -Tensors $x.View(-1, 1, 28, 28), $y
}

Set-TorchSeed $Seed
$train = New-DataLoader (Get-FashionMnist train) -BatchSize $BatchSize -Shuffle -Seed $Seed
$test = New-DataLoader (Get-FashionMnist t10k) -BatchSize 1000

$model = New-Sequential ([ordered]@{
    flatten = New-Layer Flatten
    fc1     = New-Layer Linear 784, 256
    relu1   = New-Layer ReLU
    fc2     = New-Layer Linear 256, 128
    relu2   = New-Layer ReLU
    fc3     = New-Layer Linear 128, 10 })

# On the device before an optimizer is built over its parameters (as in PyTorch); batches follow inside the trainer.
$null = $model.To($Device)

$training = @{ Model = $model; TrainLoader = $train; ValidationLoader = $test; Epochs = $Epochs; Optimizer = 'Adam'; LearningRate = $LearningRate; Device = $Device }
if (-not $Plain) {
    $training.Optimizer = New-Optimizer Adam $model -LearningRate $LearningRate
    $training.Scheduler = New-LRScheduler CosineAnnealingLR $training.Optimizer -Options @{ T_max = $Epochs }
    $training.Loss = New-LossFunction CrossEntropyLoss -LabelSmoothing 0.1
}
if ($CheckpointPath) { $training.CheckpointPath = $CheckpointPath; $training.Resume = [bool] $Resume }
Invoke-Training @training | Format-Table

$result = Test-Model $model $test -Device $Device
"test accuracy: {0:P2}" -f $result.Accuracy
