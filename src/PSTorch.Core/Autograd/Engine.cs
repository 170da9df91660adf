namespace PSTorch.Autograd;

/// <summary>
/// Runs backward: counts dependencies from the roots, then executes each node once all its output
/// gradients have arrived, later-created nodes first when several are ready (PyTorch's order).
/// </summary>
internal static class Engine
{
    /// <summary>
    /// Propagates <paramref name="grads"/> from <paramref name="roots"/>. With <paramref name="inputs"/>, returns their
    /// gradients instead of accumulating into leaves (torch.autograd.grad).
    /// </summary>
    public static Tensor?[]? Run(Tensor[] roots, Tensor?[] grads, bool retainGraph, bool createGraph, Tensor[]? inputs = null, bool allowUnused = false)
    {
        var rootEdges = new Edge[roots.Length];
        for (int i = 0; i < roots.Length; i++)
        {
            var r = roots[i];
            if (grads[i] is { } g && !g.ShapeRef.AsSpan().SequenceEqual(r.ShapeRef))
                throw new ArgumentException($"Mismatch in shape: grad_output[{i}] has a shape of torch.Size({Shapes.Format(g.ShapeRef)}) and output[{i}] has a shape of torch.Size({Shapes.Format(r.ShapeRef)}).");
            // PyTorch's validate_outputs: a 0-d gradient moves to the output's device (below), any other must be on it; a
            // CPU gradient of a CUDA output would otherwise reach CPU kernels that read the node's device tensors
            if (grads[i] is { } h && h.Device != r.Device && h.NDim != 0)
                throw new ArgumentException($"invalid gradient at index {i} - expected device {r.Device} but got {h.Device}");
            if (!r.RequiresGrad)
                throw new InvalidOperationException($"element {i} of tensors does not require grad and does not have a grad_fn");
            rootEdges[i] = Graph.EdgeOf(r);
        }

        // Where the caller wants gradients captured rather than accumulated.
        Dictionary<(Node, int), int>? capture = null;
        Tensor?[]? captured = null;
        if (inputs != null)
        {
            capture = new();
            captured = new Tensor?[inputs.Length];
            for (int i = 0; i < inputs.Length; i++)
            {
                if (!inputs[i].RequiresGrad) throw new InvalidOperationException($"One of the differentiated Tensors does not require grad");
                var e = Graph.EdgeOf(inputs[i]);
                capture[(e.Function!, e.InputNr)] = i;
            }
        }

        var dependencies = CountDependencies(rootEdges);
        // autograd.grad runs only the nodes on a path to an input, as PyTorch's exec_info does: hooks and saved
        // values elsewhere in the graph are left alone
        var leadsToInput = capture == null ? null : NodesLeadingTo(capture.Keys.Select(k => k.Item1), dependencies.Keys.Concat(rootEdges.Select(e => e.Function!)));
        var buffers = new Dictionary<Node, Tensor?[]>();
        var ready = new PriorityQueue<Node, long>();

        using var mode = GradMode.Set(createGraph);
        // Gradients only the engine holds (built-in backward results, sums, implicit ones); never with create_graph
        // (they are part of the new graph) or autograd.grad (they are returned).
        var owned = createGraph || capture != null ? null : new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < roots.Length; i++)
        {
            var g = grads[i] ?? ImplicitGrad(roots[i]);
            if (grads[i] == null) owned?.Add(g);
            else if (g.Device != roots[i].Device)
            {
                g = g.To(roots[i].Device);
                owned?.Add(g);
            }
            Deliver(rootEdges[i], g, buffers, owned);
        }
        foreach (var n in rootEdges.Select(e => e.Function!).Distinct())
            if (dependencies.GetValueOrDefault(n) == 0) ready.Enqueue(n, -n.SequenceNr);

        while (ready.Count > 0)
        {
            var node = ready.Dequeue();
            var gradOutputs = buffers.Remove(node, out var b) ? b : new Tensor?[node.OutputCount];
            if (leadsToInput != null && !leadsToInput.Contains(node))
            {
                foreach (var edge in node.NextEdges)
                    if (edge.IsValid && --dependencies[edge.Function!] == 0) ready.Enqueue(edge.Function!, -edge.Function!.SequenceNr);
                continue;
            }
            if (node.PreHooks != null)
                foreach (var hook in node.PreHooks) gradOutputs = hook(gradOutputs);
            if (node.RetainGradHooks != null)
                foreach (var retain in node.RetainGradHooks) retain(gradOutputs);

            // Hooks may keep the gradients they see: those stay with the caller.
            if (node.PreHooks != null && owned != null)
                foreach (var g in gradOutputs) if (g != null) owned.Remove(g);
            if (node is AccumulateGrad accumulate && owned != null && gradOutputs[0] is { } leafGrad && owned.Remove(leafGrad))
                accumulate.OwnsIncoming = true;

            Tensor?[] gradInputs;
            if (capture != null)
            {
                for (int k = 0; k < gradOutputs.Length; k++)
                    if (capture.TryGetValue((node, k), out int idx)) captured![idx] = gradOutputs[k];
                bool feedsAnInput = node.NextEdges.Any(e => e.IsValid && leadsToInput!.Contains(e.Function!));
                gradInputs = node is AccumulateGrad || !feedsAnInput ? [] : node.Apply(gradOutputs);
            }
            else gradInputs = node.Apply(gradOutputs);

            if (!retainGraph && (capture == null || gradInputs.Length > 0)) node.ReleaseVariables();
            if (owned != null) TakeOwnership(node, gradOutputs, gradInputs, owned);

            for (int i = 0; i < gradInputs.Length && i < node.NextEdges.Length; i++)
            {
                var edge = node.NextEdges[i];
                if (!edge.IsValid) continue;
                if (gradInputs[i] != null) Deliver(edge, gradInputs[i]!, buffers, owned);
                if (--dependencies[edge.Function!] == 0) ready.Enqueue(edge.Function!, -edge.Function!.SequenceNr);
            }
        }

        if (captured != null && !allowUnused)
            for (int i = 0; i < captured.Length; i++)
                if (captured[i] == null)
                    throw new InvalidOperationException("One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.");
        return captured;
    }

    static Tensor ImplicitGrad(Tensor root)
    {
        if (root.Numel() != 1) throw new InvalidOperationException("grad can be implicitly created only for scalar outputs");
        return Torch.OnesLike(root);
    }

    static void Deliver(Edge edge, Tensor grad, Dictionary<Node, Tensor?[]> buffers, HashSet<Tensor>? owned)
    {
        var node = edge.Function!;
        if (!buffers.TryGetValue(node, out var buf)) buffers[node] = buf = new Tensor?[node.OutputCount];
        if (buf[edge.InputNr] is not { } existing)
        {
            buf[edge.InputNr] = grad;
            return;
        }
        var sum = existing + grad;
        buf[edge.InputNr] = sum;
        if (owned == null) return;
        Release(existing, owned);
        Release(grad, owned);
        owned.Add(sum);
    }

    /// <summary>Disposes a gradient the engine owns (no one else holds the object); leaves any other alone.</summary>
    static void Release(Tensor? grad, HashSet<Tensor> owned)
    {
        if (grad != null && owned.Remove(grad)) grad.Dispose();
    }

    /// <summary>
    /// After <paramref name="node"/> ran: its input gradients that no other node or caller saw become owned by the
    /// engine, and the output gradients it consumed (owned, not passed on) are disposed, so a backward's
    /// temporaries go back to the allocator at once instead of waiting for finalizers.
    /// </summary>
    static void TakeOwnership(Node node, Tensor?[] gradOutputs, Tensor?[] gradInputs, HashSet<Tensor> owned)
    {
        if (node is FunctionNode)
            for (int i = 0; i < gradInputs.Length; i++)
            {
                var g = gradInputs[i];
                if (g == null) continue;
                bool repeated = false;
                for (int j = 0; j < gradInputs.Length; j++) repeated |= j != i && ReferenceEquals(gradInputs[j], g);
                // one object delivered to several nodes (AddBackward's [g, g]): the first to finish must not dispose
                // it under the others, so the engine gives up ownership of it
                if (repeated) owned.Remove(g);
                else if (Array.IndexOf(gradOutputs, g) < 0) owned.Add(g);
            }
        foreach (var g in gradOutputs)
            if (g != null && Array.IndexOf(gradInputs, g) < 0) Release(g, owned);
    }

    /// <summary>The nodes among <paramref name="graph"/> from which one of <paramref name="targets"/> can be reached (the targets included).</summary>
    static HashSet<Node> NodesLeadingTo(IEnumerable<Node> targets, IEnumerable<Node> graph)
    {
        var result = new HashSet<Node>(targets);
        // a node's next functions existed before it, so in creation order every node comes after those it feeds
        foreach (var n in graph.Distinct().OrderBy(n => n.SequenceNr))
            foreach (var e in n.NextEdges)
                if (e.IsValid && result.Contains(e.Function!)) { result.Add(n); break; }
        return result;
    }

    static Dictionary<Node, int> CountDependencies(Edge[] roots)
    {
        var deps = new Dictionary<Node, int>();
        var seen = new HashSet<Node>();
        var stack = new Stack<Node>();
        foreach (var e in roots)
            if (seen.Add(e.Function!)) stack.Push(e.Function!);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            foreach (var e in n.NextEdges)
            {
                if (!e.IsValid) continue;
                deps[e.Function!] = deps.GetValueOrDefault(e.Function!) + 1;
                if (seen.Add(e.Function!)) stack.Push(e.Function!);
            }
        }
        return deps;
    }
}
