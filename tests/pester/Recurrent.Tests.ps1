#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The user-facing contract of recurrent and attention layers from the shell: New-Layer RNN/LSTM/GRU, their cells,
# MultiheadAttention and TransformerEncoderLayer, with results read by property (Output, H, C, AttnOutput, AttnWeights).

BeforeAll {
    Import-Module "$PSScriptRoot/../../PSTorch.psd1" -Force
}

Describe 'Recurrent layers' {
    It 'builds an LSTM by PyTorch option names and returns the output and both states' {
        $lstm = New-Layer LSTM -InputSize 4 -HiddenSize 8 -num_layers 2
        $out = $lstm.Call((New-Tensor -Randn -Shape 5,3,4))
        $out.Output.Shape | Should -Be @(5, 3, 8)
        $out.H.Shape | Should -Be @(2, 3, 8)
        $out.C.Shape | Should -Be @(2, 3, 8)
        "$lstm" | Should -Be 'LSTM(4, 8, num_layers=2)'
    }

    It 'passes the final state on to the next call' {
        $gru = New-Layer GRU 3,6 -BatchFirst -Bidirectional
        $x = New-Tensor -Randn -Shape 2,5,3
        $first = $gru.Call($x)
        $second = $gru.Call($x, $first.H)
        $second.Output.Shape | Should -Be @(2, 5, 12)
        $second.C | Should -BeNullOrEmpty
    }

    It 'names parameters as PyTorch does, reverse direction included' {
        $keys = (New-Layer LSTM 4,8 -Bidirectional).StateDict().Keys
        $keys | Should -Be @('weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0',
            'weight_ih_l0_reverse', 'weight_hh_l0_reverse', 'bias_ih_l0_reverse', 'bias_hh_l0_reverse')
    }

    It 'works inside New-Sequential, where only the output sequence goes on' {
        $model = New-Sequential { New-Layer GRU 4,6 -BatchFirst; New-Layer Linear 6,2 }
        $model.Call((New-Tensor -Randn -Shape 2,7,4)).Shape | Should -Be @(2, 7, 2)
    }

    It 'steps an LSTMCell' {
        $cell = New-Layer LSTMCell 4,5
        $state = $cell.Call((New-Tensor -Randn -Shape 3,4))
        $next = $cell.Call((New-Tensor -Randn -Shape 3,4), $state)
        $next.H.Shape | Should -Be @(3, 5)
        $next.C.Shape | Should -Be @(3, 5)
    }

    It 'reports a wrong input size with PyTorch''s message' {
        { (New-Layer LSTM 4,8).Call((New-Tensor -Randn -Shape 5,2,3)) } |
            Should -Throw '*input.size(-1) must be equal to input_size. Expected 4, got 3*'
    }
}

Describe 'Attention layers' {
    It 'returns attention output and head-averaged weights from MultiheadAttention' {
        $mha = New-Layer MultiheadAttention -EmbedDim 8 -NumHeads 2 -BatchFirst
        $x = New-Tensor -Randn -Shape 3,4,8
        $r = $mha.Call($x, $x, $x)
        $r.AttnOutput.Shape | Should -Be @(3, 4, 8)
        $r.AttnWeights.Shape | Should -Be @(3, 4, 4)
    }

    It 'runs a TransformerEncoder over a stack of layer copies' {
        $layer = New-Layer TransformerEncoderLayer -DModel 8 -Nhead 2 -DimFeedforward 16 -BatchFirst
        $encoder = New-Layer TransformerEncoder $layer,2
        $encoder.Call((New-Tensor -Randn -Shape 3,5,8)).Shape | Should -Be @(3, 5, 8)
        $encoder.StateDict().Keys | Should -Contain 'layers.1.self_attn.in_proj_weight'
    }
}
