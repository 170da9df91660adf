using Xunit;

namespace PSTorch.Tests.PowerShell;

/// <summary>Recurrent and attention layers built with New-Layer and called from PowerShell, their results read by property.</summary>
public class RecurrentCommandTests(ModuleRunspace ps) : IClassFixture<ModuleRunspace>
{
    object[] Run(string script) => ps.Invoke(script).Select(o => o.BaseObject).ToArray();

    [Fact]
    public void NewLayerLstm_CallReturnsOutputAndStatesReadableByName()
    {
        var shapes = Run("""
            $lstm = New-Layer LSTM -InputSize 4 -HiddenSize 8
            $out = $lstm.Call((New-Tensor -Randn -Shape 5,2,4))
            "$($out.Output.Shape)"; "$($out.H.Shape)"; "$($out.C.Shape)"; "$lstm"
            """);
        Assert.Equal(["5 2 8", "1 2 8", "1 2 8", "LSTM(4, 8)"], shapes);
    }

    [Fact]
    public void NewLayerTakesPyTorchsOptionNames_AndStatesCarryOver()
    {
        var shapes = Run("""
            $gru = New-Layer GRU 3,6 -num_layers 2 -BatchFirst -Bidirectional
            $x = New-Tensor -Randn -Shape 2,5,3
            $first = $gru.Call($x)
            $second = $gru.Call($x, $first.H)
            "$($second.Output.Shape)"; "$($second.H.Shape)"; $null -eq $second.C
            $lstm = New-Layer LSTM 3,4
            $a = $lstm.Call($x.Select(0, 0))
            "$($lstm.Call($x.Select(0, 0), $a.State).H.Shape)"; "$($lstm.Call($x.Select(0, 0), $a.H, $a.C).Output.Shape)"
            ($gru.StateDict().Keys | Select-Object -First 5) -join ','
            """);
        Assert.Equal(["2 5 12", "4 2 6", true, "1 4", "5 4", "weight_ih_l0,weight_hh_l0,bias_ih_l0,bias_hh_l0,weight_ih_l0_reverse"], shapes);
    }

    [Fact]
    public void MultiheadAttentionAndCellsFromPowerShell()
    {
        var results = Run("""
            $mha = New-Layer MultiheadAttention -EmbedDim 8 -NumHeads 2 -BatchFirst
            $x = New-Tensor -Randn -Shape 3,4,8
            $r = $mha.Call($x, $x, $x)
            "$($r.AttnOutput.Shape)"; "$($r.AttnWeights.Shape)"
            $cell = New-Layer LSTMCell 8,5
            "$($cell.Call($x.Select(0, 0)).C.Shape)"
            $seq = New-Sequential { New-Layer GRU 8,6 -BatchFirst; New-Layer Linear 6,2 }
            "$($seq.Call($x).Shape)"
            """);
        Assert.Equal(["3 4 8", "3 4 4", "4 5", "3 4 2"], results);
    }

    [Fact]
    public void NewLayerTransformerEncoder_TakesALayerAndACount()
    {
        var results = Run("""
            $layer = New-Layer TransformerEncoderLayer -DModel 8 -Nhead 2 -DimFeedforward 16 -BatchFirst
            $encoder = New-Layer TransformerEncoder $layer,2
            "$($encoder.Call((New-Tensor -Randn -Shape 3,5,8)).Shape)"
            $encoder.StateDict().Keys -contains 'layers.1.self_attn.in_proj_weight'
            """);
        Assert.Equal(["3 5 8", true], results);
    }

    [Fact]
    public void WrongInputSizeSurfacesPyTorchsMessage()
    {
        var result = ps.InvokeWithErrors("(New-Layer LSTM 4,8).Call((New-Tensor -Randn -Shape 5,2,3))");
        Assert.False(result.Succeeded);
        Assert.Contains("input.size(-1) must be equal to input_size. Expected 4, got 3", result.Errors[^1].ToString());
    }
}
